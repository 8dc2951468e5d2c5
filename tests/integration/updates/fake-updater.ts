import { EventEmitter } from 'node:events';
import type { AutoUpdaterLike } from '../../../src-main/updates/update-service';

/**
 * Stands in for electron-updater's `autoUpdater`: the same properties, methods and events. The
 * test decides what the release feed answers; `calls` records what the till asked for.
 */
export class FakeUpdater extends EventEmitter implements AutoUpdaterLike {
  autoDownload = true;
  autoInstallOnAppQuit = true;
  calls: string[] = [];
  installs: { isSilent?: boolean | undefined; isForceRunAfter?: boolean | undefined }[] = [];
  /** What the feed offers on the next check: a version, nothing, or a failure. */
  feed: { version: string } | null | Error = null;

  checkForUpdates(): Promise<unknown> {
    this.calls.push('check');
    this.emit('checking-for-update');
    const feed = this.feed;
    if (feed instanceof Error) {
      this.emit('error', feed);
      return Promise.reject(feed);
    }
    if (feed === null) this.emit('update-not-available', { version: '1.0.0' });
    else this.emit('update-available', { version: feed.version });
    return Promise.resolve({ updateInfo: feed });
  }

  downloadUpdate(): Promise<unknown> {
    this.calls.push('download');
    const feed = this.feed;
    setTimeout(() => {
      if (!feed || feed instanceof Error) return;
      this.emit('download-progress', { percent: 42.4 });
      this.emit('update-downloaded', { version: feed.version });
    }, 5);
    return Promise.resolve([]);
  }

  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.calls.push('install');
    this.installs.push({ isSilent, isForceRunAfter });
  }
}
