// Parley desktop: this webview cannot capture the screen on this OS version (WKWebView before
// macOS 13 and some later regressions). Instead of failing silently, say so and offer the browser.
(function () {
  if (!navigator.mediaDevices || window.__parleyNoScreenCapture) return;
  window.__parleyNoScreenCapture = true;
  navigator.mediaDevices.getDisplayMedia = function () {
    var open = window.confirm(
      "Screen sharing does not work in this window on this version of your system.\n\n" +
      "Open this meeting in your web browser to share your screen there?");
    if (open && window.pywebview && window.pywebview.api) window.pywebview.api.open_in_browser();
    return Promise.reject(new DOMException("Screen capture is not supported in this window",
                                           "NotSupportedError"));
  };
})();
