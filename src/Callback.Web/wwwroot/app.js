// Plays a short tone (no audio file to fetch): used by live pages to announce a new alert.
window.callback = {
  beep: function () {
    try {
      const ctx = new (window.AudioContext || window.webkitAudioContext)();
      const osc = ctx.createOscillator();
      osc.frequency.value = 880;
      osc.connect(ctx.destination);
      osc.start();
      setTimeout(() => { osc.stop(); ctx.close(); }, 250);
    } catch (e) { /* no audio device: the visual highlight remains */ }
  },
  print: function () { window.print(); },
  // Gives the focus to the element a page just revealed, so that the next Tab goes on from there.
  focus: function (selector) { document.querySelector(selector)?.focus(); }
};

// Print views are plain server-rendered pages (no live connection) and the CSP forbids inline handlers: a button
// marked data-print prints the page.
document.addEventListener('click', function (e) {
  if (e.target instanceof Element && e.target.closest('[data-print]')) { window.print(); }
});

// The skip link goes to the page's main region and gives it the focus, so the next Tab starts there. Handled here, before
// Blazor's router sees the click: it would read « #contenu » against the base address and open the home page.
document.addEventListener('click', function (e) {
  const link = e.target instanceof Element ? e.target.closest('a.skip-link') : null;
  const main = document.getElementById('contenu');
  if (!link || !main) { return; }
  e.preventDefault();
  e.stopPropagation();
  main.focus();
  main.scrollIntoView();
}, true);
