// The dispatch board's ways of calling a dispatcher who is not looking at it: a desktop notification (the browser's
// Notification API, once the dispatcher allows it) and a beep. Browsers let a page make sound only after a click on it,
// so "Activer le son" creates the audio context inside that click and keeps it for the later beeps.
let audio = null;

function notificationState() {
  return 'Notification' in window ? Notification.permission : 'unsupported';
}

export function state() {
  return { notifications: notificationState(), sound: audio !== null && audio.state === 'running' };
}

export async function requestNotifications() {
  if ('Notification' in window && Notification.permission === 'default') {
    await Notification.requestPermission();
  }
  return state();
}

export async function enableSound() {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    await audio.resume();
    beep();
  } catch (e) { audio = null; /* no audio device: the notification and the highlight remain */ }
  return state();
}

function beep() {
  const ctx = audio;
  if (!ctx || ctx.state !== 'running') { return false; }
  const osc = ctx.createOscillator();
  osc.frequency.value = 880;
  osc.connect(ctx.destination);
  osc.start();
  osc.stop(ctx.currentTime + 0.25);
  return true;
}

// One notification per arrival, whether or not the tab is in front: the tag makes a newer one replace an older one
// still on screen. The text is the board's own announcement (counts only, never a name or an address).
export function announce(title, body, tag) {
  if (!beep() && window.callback) { window.callback.beep(); }
  if (notificationState() === 'granted') {
    try {
      const n = new Notification(title, { body: body, tag: tag, requireInteraction: true });
      n.onclick = function () { window.focus(); n.close(); };
    } catch (e) { /* a browser that allows notifications only from a service worker: the tab title still counts */ }
  }
  return state();
}
