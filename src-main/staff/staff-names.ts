/**
 * The staff feature's public read for other features: the name written for a staff member on
 * audit rows and the day's papers (null when unknown).
 */
export { staffName } from './staff.repo';
