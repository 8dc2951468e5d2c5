import { contextBridge, ipcRenderer } from 'electron';
import { buildTillBridge } from './preload-bridge';

// Sandboxed preload: exposes exactly one object, `window.till`.
contextBridge.exposeInMainWorld('till', buildTillBridge(ipcRenderer));
