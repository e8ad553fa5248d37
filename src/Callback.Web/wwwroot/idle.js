// Signs the user out after Security:IdleTimeout without a key press, click, scroll or touch: an unlocked workstation in
// a shared office must not leave a victim's case open. The circuit sends no HTTP request the sliding cookie could see,
// so the page itself keeps the count and submits the sign-out form (which carries its antiforgery token).
(() => {
  let last = Date.now();
  const touch = () => { last = Date.now(); };
  for (const name of ['pointerdown', 'keydown', 'wheel', 'touchstart', 'mousemove']) {
    addEventListener(name, touch, { passive: true, capture: true });
  }
  setInterval(() => {
    const form = document.querySelector('form[data-idle-seconds]');
    const seconds = form ? Number(form.dataset.idleSeconds) : 0;
    if (seconds > 0 && Date.now() - last > seconds * 1000) {
      last = Date.now();
      form.submit();
    }
  }, 5000);
})();
