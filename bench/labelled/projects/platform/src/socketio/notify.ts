import { io } from 'socket.io-client';

/** Pushes a deploy notification to the ops dashboard. Called once per deploy step. */
export function notifyDashboard(url: string, step: string, status: 'ok' | 'failed'): void {
  const socket = io(url, { transports: ['websocket'], auth: { token: process.env.DASHBOARD_TOKEN } });
  socket.emit('deploy:step', { step, status, at: Date.now() });
}
