// The front door's camera. The code box is a plain form that works without this script; here the camera reads a
// QR code with the browser's BarcodeDetector where it has one, else with jsQR (served by TeaTrace, and fetched only
// when it is needed, so the page stays small), and sends what it read through the same form as a typed code.
"use strict";

(() => {
  const form = document.getElementById("code-form");
  const input = document.getElementById("code");
  const button = document.getElementById("scan");
  const video = document.getElementById("video");
  const status = document.getElementById("scan-status");
  if (!form || !button || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  const words = button.dataset;
  let stream = null;

  function say(text) { status.textContent = text; }

  function stop() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    button.textContent = words.start;
  }

  function loadJsQr() {
    if (window.jsQR) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = words.jsqr;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  // A function from a playing video to the text of a QR code in view, or null.
  async function reader() {
    if ("BarcodeDetector" in window) {
      try {
        if ((await BarcodeDetector.getSupportedFormats()).includes("qr_code")) {
          const detector = new BarcodeDetector({ formats: ["qr_code"] });
          return async (source) => {
            const found = await detector.detect(source);
            return found.length > 0 ? found[0].rawValue : null;
          };
        }
      } catch (e) {
        // fall back to jsQR
      }
    }
    await loadJsQr();
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    return async (source) => {
      const width = source.videoWidth;
      const height = source.videoHeight;
      if (!width || !height) return null;
      canvas.width = width;
      canvas.height = height;
      context.drawImage(source, 0, 0, width, height);
      const code = jsQR(context.getImageData(0, 0, width, height).data, width, height);
      return code ? code.data : null;
    };
  }

  async function scan() {
    if (stream) return stop();
    say("");
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (e) {
      stream = null;
      return say(words.nocamera.replace("{0}", e.message || e.name));
    }
    video.srcObject = stream;
    video.hidden = false;
    button.textContent = words.stop;
    say(words.looking);
    let read;
    try {
      await video.play();
      read = await reader();
    } catch (e) {
      stop();
      return say(words.failed);
    }
    const look = async () => {
      if (!stream) return;
      const text = video.readyState >= 2 ? await read(video) : null;
      if (!text) {
        setTimeout(look, 200);
        return;
      }
      stop();
      input.value = text;
      say(words.found);
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    };
    look();
  }

  button.hidden = false;
  button.addEventListener("click", scan);
})();
