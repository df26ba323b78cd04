// Small browser helpers the admin app calls through JS interop (window.whaUi.*).
window.whaUi = {
    setCookie(name, value) {
        document.cookie = `${name}=${encodeURIComponent(value)}; path=/; max-age=31536000; samesite=lax`;
    },

    // The person's IANA time zone, remembered in a cookie so the server shows local times from the first paint.
    timeZone() {
        const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
        window.whaUi.setCookie("wha-tz", zone);
        return zone;
    },

    // Clipboard access needs a secure context (https or localhost); elsewhere fall back to a hidden textarea.
    async copy(text) {
        try {
            if (navigator.clipboard && window.isSecureContext) {
                await navigator.clipboard.writeText(text);
                return true;
            }
        } catch { /* fall through */ }
        const area = document.createElement("textarea");
        area.value = text;
        area.setAttribute("readonly", "");
        area.style.position = "fixed";
        area.style.opacity = "0";
        document.body.appendChild(area);
        area.select();
        let ok = false;
        try { ok = document.execCommand("copy"); } catch { ok = false; }
        document.body.removeChild(area);
        return ok;
    }
};
