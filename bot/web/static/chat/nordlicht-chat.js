/*!
 * Nordlicht chat widget 1.0 – the website chat of the Nordlicht Automobile assistant.
 * Embedding, options, message format and security model: docs/website-widget.md.
 * Talks to the Rasa server's socket.io channel with the vendored socket.io-client 4.x.
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------- constants

  const SCRIPT = document.currentScript;
  const ASSETS = new URL(".", SCRIPT ? SCRIPT.src : location.href);
  const SOCKET_IO_CLIENT = new URL("../vendor/socket.io-client-4.8.4/socket.io.min.js", ASSETS);
  const STYLESHEET = new URL("nordlicht-chat.css", ASSETS);
  const CONFIG_BLOCK_ID = "nordlicht-chat-config";
  const STORAGE_KEY = "nordlicht-chat.v1";
  const MAX_HISTORY = 200; // messages kept for re-rendering after a reload
  const MAX_TEXT = 4000; // characters of one message that are shown
  const TYPING_TIMEOUT_MS = 20000;
  // Files for the agent: the bot service checks them again (by content); these only save a
  // pointless upload. GET <uploadUrl>/limits tells the configured values.
  const UPLOAD_DEFAULTS = {
    max_bytes: 5 * 1024 * 1024,
    types: ["image/jpeg", "image/png", "application/pdf"],
    text: "JPEG, PNG, PDF bis 5 MB",
  };
  const DEFAULTS = {
    rasaUrl: "", // origin of the Rasa server, e.g. "https://chat.example.com"
    socketPath: "/socket.io", // socket.io path of the Rasa server
    title: "Nordlicht Kundenservice",
    customerToken: "", // signed customer token of a logged-in customer
    storage: "session", // "session" (this tab) or "local" (all tabs, survives restarts)
    uploadUrl: new URL("/api/chat/attachments", ASSETS).href, // the bot service's file upload
  };
  const TEXT = {
    launcher: "Fragen? Chatten Sie mit uns",
    launcherUnread: "Chat öffnen – neue Nachricht",
    close: "Chat schließen",
    startOver: "Neues Gespräch",
    startOverLabel: "Neues Gespräch beginnen",
    intro:
      "Unser digitaler Assistent hilft Ihnen sofort weiter. Wenn nötig, übernimmt ein Mensch aus unserem Team.",
    log: "Chatverlauf",
    input: "Ihre Nachricht",
    placeholder: "Nachricht schreiben …",
    send: "Senden",
    you: "Sie:",
    assistant: "Assistent:",
    team: "Kundenservice",
    typing: "Der Assistent schreibt …",
    connecting: "Verbindung wird hergestellt …",
    online: "Online",
    offline: "Verbindung unterbrochen",
    offlineHint: "Die Verbindung ist unterbrochen. Wir verbinden Sie automatisch neu – Ihr Gespräch bleibt erhalten.",
    newWindow: " (öffnet in neuem Fenster)",
    image: "Bild",
    sessionExpired: "Ihre vorige Sitzung ist abgelaufen. Wir beginnen ein neues Gespräch.",
    attach: "Bild oder PDF anhängen",
    uploading: "Datei wird gesendet …",
    fileSent: "Datei gesendet: ",
    fileWaiting: "Ihre Datei liegt jetzt bei Ihrer Anfrage. Unser Team sieht sie sich an, sobald es Ihre Anfrage bearbeitet.",
    fileTooLarge: "Diese Datei ist zu groß. Möglich sind: ",
    fileWrongType: "Diese Datei kann ich nicht annehmen. Möglich sind: ",
    fileNoAgent: "Bilder und Dateien kann ich selbst leider nicht ansehen. Schreiben Sie „Mitarbeiter“, dann verbinde ich Sie mit unserem Team – dem können Sie die Datei dann senden.",
    fileTooMany: "Zu dieser Anfrage liegen schon so viele Dateien vor, dass ich keine weitere annehmen kann. Beschreiben Sie den Rest bitte in Worten.",
    fileFailed: "Die Datei konnte leider nicht gesendet werden. Bitte versuchen Sie es gleich noch einmal.",
  };
  const TIME = new Intl.DateTimeFormat("de-DE", { hour: "2-digit", minute: "2-digit" });
  const DAY_TIME = new Intl.DateTimeFormat("de-DE", {
    day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit",
  });
  const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"]+/gi;

  // ------------------------------------------------------------ configuration

  /** Options, later sources win: window.NordlichtChat object, JSON block, data-* attributes. */
  function readConfig() {
    const config = Object.assign({}, DEFAULTS);
    const preset = window.NordlichtChat;
    if (preset && typeof preset === "object" && !preset.version) Object.assign(config, preset);
    const block = document.getElementById(CONFIG_BLOCK_ID);
    if (block) {
      try {
        Object.assign(config, JSON.parse(block.textContent));
      } catch (error) {
        console.error("Nordlicht chat: #" + CONFIG_BLOCK_ID + " is not valid JSON.");
      }
    }
    if (SCRIPT) {
      for (const key of Object.keys(DEFAULTS)) {
        if (SCRIPT.dataset[key] !== undefined) config[key] = SCRIPT.dataset[key];
      }
    }
    return config;
  }

  // ------------------------------------------------------------------ helpers

  /** Returns `raw` as an absolute http(s) URL, or "" for anything else (javascript:, data:, ...). */
  function safeHttpUrl(raw) {
    if (typeof raw !== "string" || !raw) return "";
    try {
      const url = new URL(raw, location.href);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : "";
    } catch (error) {
      return "";
    }
  }

  function text(value) {
    return typeof value === "string" ? value.slice(0, MAX_TEXT) : "";
  }

  /** Creates an element with a class, text content (never HTML) and attributes. */
  function el(tag, className, content, attributes) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    return node;
  }

  function srOnly(content) {
    return el("span", "nlc-sr-only", content);
  }

  /** A link that opens in a new window without giving it access to this page. */
  function link(href, label) {
    const anchor = el("a", "nlc-link", label);
    anchor.href = href;
    anchor.target = "_blank";
    anchor.rel = "noopener noreferrer nofollow";
    anchor.append(srOnly(TEXT.newWindow));
    return anchor;
  }

  /** Appends `content` as text nodes; http(s) URLs in it become safe links. */
  function appendText(parent, content) {
    let last = 0;
    for (const match of content.matchAll(URL_IN_TEXT)) {
      const url = match[0].replace(/[.,;:!?)\]]+$/, "");
      const href = safeHttpUrl(url);
      if (!href) continue;
      parent.append(content.slice(last, match.index), link(href, url));
      last = match.index + url.length;
    }
    parent.append(content.slice(last));
  }

  function formatTime(ts) {
    const date = new Date(ts);
    const today = date.toDateString() === new Date().toDateString();
    return (today ? TIME : DAY_TIME).format(date);
  }

  /** The customer number inside a customer token (not verified: only to notice a change). */
  function tokenSubject(token) {
    try {
      const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return String(JSON.parse(atob(part)).sub || "");
    } catch (error) {
      return "";
    }
  }

  // ------------------------------------------------------------------ storage

  function openStorage(kind) {
    try {
      const storage = kind === "local" ? window.localStorage : window.sessionStorage;
      storage.setItem(STORAGE_KEY + ".probe", "1");
      storage.removeItem(STORAGE_KEY + ".probe");
      return storage;
    } catch (error) {
      return null; // storage blocked: the chat still works, it just does not survive a reload
    }
  }

  function emptyState() {
    return { session: null, history: [], open: false, customer: "" };
  }

  function loadState(storage) {
    try {
      const stored = JSON.parse(storage.getItem(STORAGE_KEY));
      if (stored && Array.isArray(stored.history)) return Object.assign(emptyState(), stored);
    } catch (error) {
      /* nothing stored, storage blocked, or unreadable: start empty */
    }
    return emptyState();
  }

  // ----------------------------------------------------------------- messages

  /**
   * Turns one `bot_uttered` payload into a history entry, or null if it has nothing to show.
   * Entry: {from: "bot"|"agent"|"system"|"user", text, agentName, image, buttons, replies, ts}.
   * Agent messages carry {sender: "agent", agent_name} in `metadata` or `custom`.
   */
  function entryFromBot(payload) {
    if (typeof payload === "string") payload = { text: payload };
    if (!payload || typeof payload !== "object") return null;
    const marks = [payload.metadata, payload.custom].find(
      (value) => value && typeof value === "object" && typeof value.sender === "string",
    ) || {};
    const entry = { from: "bot", ts: Date.now() };
    if (marks.sender === "agent") {
      entry.from = "agent";
      entry.agentName = text(marks.agent_name).trim() || TEXT.team;
    } else if (marks.sender === "system") {
      entry.from = "system";
    }
    entry.text = text(payload.text) || text(payload.custom && payload.custom.text);
    const attachment = payload.attachment || {};
    const image = payload.image || (attachment.type === "image" && (attachment.payload || {}).src);
    entry.image = safeHttpUrl(image);
    entry.buttons = choices(payload.buttons);
    entry.replies = choices(payload.quick_replies);
    const empty = !entry.text && !entry.image && !entry.buttons.length && !entry.replies.length;
    return empty ? null : entry;
  }

  /** Buttons and quick replies: {title, payload} to send, or {title, url} to open. */
  function choices(list) {
    if (!Array.isArray(list)) return [];
    return list
      .filter((choice) => choice && typeof choice === "object")
      .map((choice) => ({
        title: text(choice.title),
        payload: text(choice.payload),
        url: safeHttpUrl(choice.url),
      }))
      .filter((choice) => choice.title && (choice.payload || choice.url))
      .slice(0, 12);
  }

  // -------------------------------------------------------------------- widget

  function createWidget(config) {
    const storage = openStorage(config.storage);
    let state = storage ? loadState(storage) : emptyState();
    let socket = null;
    let connection = "idle"; // idle | connecting | online | offline
    let typingTimer = 0;

    // A different customer (or a logout) must not see the previous customer's conversation.
    const customer = config.customerToken ? tokenSubject(config.customerToken) : "";
    if (state.customer && state.customer !== customer) state = emptyState();
    state.customer = customer;

    function save() {
      if (!storage) return;
      state.history = state.history.slice(-MAX_HISTORY);
      try {
        storage.setItem(STORAGE_KEY, JSON.stringify(state));
      } catch (error) {
        /* quota exceeded: keep going without persisting */
      }
    }

    // ---- DOM: launcher button, panel with header, log, typing, status and form
    const root = el("div", "nlc-root", undefined, { hidden: "" }); // shown once the CSS is there
    const badge = el("span", "nlc-launcher__badge", undefined, { hidden: "" });
    const launcher = el("button", "nlc-launcher", undefined, {
      type: "button", "aria-controls": "nlc-panel", "aria-expanded": "false",
    });
    launcher.append(el("span", "nlc-launcher__icon"), el("span", "", TEXT.launcher), badge);

    const panel = el("section", "nlc-panel", undefined, {
      id: "nlc-panel", hidden: "", "aria-labelledby": "nlc-title",
    });
    const header = el("header", "nlc-header");
    const status = el("p", "nlc-status", undefined, { role: "status" });
    const startOverButton = el("button", "nlc-header__button nlc-header__new", TEXT.startOver, {
      type: "button", "aria-label": TEXT.startOverLabel,
    });
    const closeButton = el("button", "nlc-header__button nlc-header__close", undefined, {
      type: "button", "aria-label": TEXT.close,
    });
    closeButton.append(el("span", "nlc-close-icon"));
    header.append(el("h2", "nlc-title", config.title, { id: "nlc-title" }), status);
    header.append(startOverButton, closeButton);

    const intro = el("p", "nlc-intro", TEXT.intro);
    const log = el("ol", "nlc-log", undefined, {
      role: "log", "aria-live": "polite", "aria-label": TEXT.log,
      tabindex: "0", // scrollable with the keyboard
    });
    const typing = el("div", "nlc-typing", undefined, { role: "status", hidden: "" });
    const dots = el("span", "nlc-typing__dots", undefined, { "aria-hidden": "true" });
    dots.append(el("span"), el("span"), el("span"));
    typing.append(dots, srOnly(TEXT.typing));
    const offline = el("p", "nlc-offline", TEXT.offlineHint, { hidden: "" });

    const form = el("form", "nlc-form");
    const input = el("input", "nlc-input", undefined, {
      id: "nlc-input", type: "text", autocomplete: "off", maxlength: "1000",
      placeholder: TEXT.placeholder, enterkeyhint: "send",
    });
    const sendButton = el("button", "nlc-send", TEXT.send, { type: "submit" });
    const uploadUrl = safeHttpUrl(config.uploadUrl);
    const fileInput = el("input", "nlc-sr-only", undefined, {
      type: "file", accept: UPLOAD_DEFAULTS.types.join(","), tabindex: "-1", "aria-hidden": "true",
    });
    const attachButton = el("button", "nlc-attach", undefined, {
      type: "button", "aria-label": TEXT.attach, title: TEXT.attach,
    });
    attachButton.append(el("span", "nlc-attach__icon", undefined, { "aria-hidden": "true" }));
    form.append(el("label", "nlc-sr-only", TEXT.input, { for: "nlc-input" }), input);
    if (uploadUrl) form.append(attachButton, fileInput); // after the input: Shift+Tab reaches the log
    form.append(sendButton);

    panel.append(header, intro, log, typing, offline, form);
    root.append(panel, launcher);

    // ---- rendering
    function renderEntry(entry) {
      if (entry.from === "system") {
        const notice = el("li", "nlc-notice");
        appendText(notice, entry.text || "");
        return notice;
      }
      const item = el("li", "nlc-msg nlc-msg--" + entry.from);
      if (entry.from === "agent") {
        const initial = entry.agentName.split(/\s+/).pop().charAt(0).toUpperCase();
        const avatar = el("span", "nlc-avatar", initial);
        avatar.setAttribute("aria-hidden", "true");
        const name = el("p", "nlc-msg__name", entry.agentName);
        name.append(el("span", "nlc-msg__role", " · " + TEXT.team));
        item.append(avatar, name);
      } else {
        item.append(srOnly(entry.from === "user" ? TEXT.you : TEXT.assistant));
      }
      const bubble = el("div", "nlc-bubble");
      if (entry.text) appendText(bubble, entry.text);
      if (entry.image) {
        const image = el("img", "nlc-image");
        image.src = entry.image;
        image.alt = TEXT.image;
        image.loading = "lazy";
        bubble.append(image);
      }
      if (entry.text || entry.image) item.append(bubble);
      if (entry.buttons && entry.buttons.length) item.append(renderChoices(entry.buttons, "nlc-buttons"));
      if (entry.replies && entry.replies.length && !entry.answered) {
        item.append(renderChoices(entry.replies, "nlc-replies"));
      }
      const time = el("time", "nlc-msg__time", formatTime(entry.ts));
      time.dateTime = new Date(entry.ts).toISOString();
      item.append(time);
      return item;
    }

    function renderChoices(list, className) {
      const group = el("div", className);
      group.setAttribute("role", "group");
      for (const choice of list) {
        if (choice.url) {
          group.append(link(choice.url, choice.title));
          continue;
        }
        const button = el("button", "nlc-choice", choice.title);
        button.type = "button";
        button.addEventListener("click", () => send(choice.title, choice.payload));
        group.append(button);
      }
      return group;
    }

    function addEntry(entry) {
      state.history.push(entry);
      save();
      log.append(renderEntry(entry));
      intro.hidden = true;
      scrollToEnd();
    }

    function scrollToEnd() {
      log.scrollTop = log.scrollHeight;
    }

    /** Quick replies are answered by any message of the customer: they disappear. */
    function closeReplies() {
      for (const entry of state.history) if (entry.replies && entry.replies.length) entry.answered = true;
      for (const group of log.querySelectorAll(".nlc-replies")) group.remove();
    }

    function setTyping(visible) {
      clearTimeout(typingTimer);
      typing.hidden = !visible;
      if (visible) typingTimer = setTimeout(() => setTyping(false), TYPING_TIMEOUT_MS);
    }

    function connectionText() {
      return { idle: "", connecting: TEXT.connecting, online: TEXT.online, offline: TEXT.offline }[connection];
    }

    function setConnection(next) {
      connection = next;
      root.dataset.connection = next;
      status.textContent = connectionText();
      offline.hidden = next !== "offline";
      sendButton.disabled = next !== "online";
      attachButton.disabled = next !== "online" || uploading;
      if (next !== "online") setTyping(false);
    }

    function setUnread(unread) {
      badge.hidden = !unread;
      launcher.setAttribute("aria-label", unread ? TEXT.launcherUnread : TEXT.launcher);
    }

    // ---- files for the agent: POSTed to the bot service with the signed chat session
    let uploading = false;
    let uploadLimits = null;

    function fetchLimits() {
      if (!uploadLimits) {
        uploadLimits = fetch(uploadUrl + "/limits", { credentials: "omit" })
          .then((response) => (response.ok ? response.json() : UPLOAD_DEFAULTS))
          .catch(() => UPLOAD_DEFAULTS);
      }
      return uploadLimits;
    }

    function sizeText(bytes) {
      return bytes < 1024 * 1024
        ? Math.max(1, Math.round(bytes / 1024)) + " KB"
        : (bytes / (1024 * 1024)).toFixed(1).replace(".", ",") + " MB";
    }

    function notice(message) {
      addEntry({ from: "system", text: message, ts: Date.now() });
    }

    function setUploading(busy) {
      uploading = busy;
      attachButton.disabled = busy || connection !== "online";
      attachButton.setAttribute("aria-busy", String(busy));
      status.textContent = busy ? TEXT.uploading : connectionText();
    }

    function uploadFile(file) {
      if (!file || connection !== "online" || !state.session || uploading) return;
      setUploading(true);
      fetchLimits().then((limits) => {
        if (file.size > limits.max_bytes) return { status: 413, limits: limits.text };
        if (file.type && limits.types.indexOf(file.type) < 0) return { status: 415, limits: limits.text };
        return fetch(uploadUrl, {
          method: "POST",
          body: file,
          credentials: "omit",
          headers: {
            "Content-Type": file.type || "application/octet-stream",
            "X-Filename": encodeURIComponent(file.name.slice(0, 200)),
            "X-Chat-Session-Id": state.session.session_id,
            "X-Chat-Session-Token": state.session.session_token,
          },
        }).then((response) => response.json().catch(() => ({})).then((body) => ({
          status: response.status, receipt: body, limits: body.limits || limits.text,
        })));
      }).catch(() => ({ status: 0 })).then((result) => {
        setUploading(false);
        if (result.status === 201) {
          const receipt = result.receipt;
          closeReplies();
          addEntry({
            from: "user",
            text: TEXT.fileSent + text(receipt.filename || file.name) + " (" + sizeText(file.size) + ")",
            ts: Date.now(),
          });
          if (!receipt.taken_over) notice(TEXT.fileWaiting);
        } else if (result.status === 413) {
          notice(TEXT.fileTooLarge + result.limits);
        } else if (result.status === 415) {
          notice(TEXT.fileWrongType + result.limits);
        } else if (result.status === 429) {
          notice(TEXT.fileTooMany);
        } else if (result.status === 409) {
          notice(TEXT.fileNoAgent);
        } else {
          notice(TEXT.fileFailed);
        }
        input.focus();
      });
    }

    // ---- talking to Rasa
    function metadata() {
      return config.customerToken ? { customer_token: config.customerToken } : {};
    }

    function send(message, payload) {
      message = message.trim();
      if (!message || connection !== "online") return false;
      closeReplies();
      addEntry({ from: "user", text: text(message), ts: Date.now() });
      // session_id is ignored by our channel (the socket's session counts); stock Rasa reads it.
      socket.emit("user_uttered", {
        message: payload || message,
        session_id: state.session.session_id,
        metadata: metadata(),
      });
      setTyping(true);
      input.focus();
      return true;
    }

    /** Presents the stored session (if still valid) so the server resumes it; {} asks for a new one. */
    function requestSession() {
      const request = { metadata: metadata() };
      const session = state.session;
      if (session && session.session_token && session.expires_at * 1000 > Date.now()) {
        request.session_id = session.session_id;
        request.session_token = session.session_token;
      }
      socket.emit("session_request", request);
    }

    function onSessionConfirm(data) {
      const session = typeof data === "string" ? { session_id: data } : data; // stock Rasa: a string
      if (!session || typeof session.session_id !== "string") return;
      const previous = state.session && state.session.session_id;
      state.session = {
        session_id: session.session_id,
        session_token: text(session.session_token),
        expires_at: Number(session.expires_at) || 0,
      };
      if (previous && previous !== session.session_id && state.history.length) {
        addEntry({ from: "system", text: TEXT.sessionExpired, ts: Date.now() });
      }
      save();
      setConnection("online");
    }

    function onBotMessage(payload) {
      const entry = entryFromBot(payload);
      setTyping(false);
      if (!entry) return;
      addEntry(entry);
      if (panel.hidden) setUnread(true);
    }

    function loadSocketIo() {
      return new Promise((resolve, reject) => {
        const previous = window.io; // the page may use its own socket.io: keep it
        const tag = el("script");
        tag.src = SOCKET_IO_CLIENT.href;
        tag.async = true;
        tag.onload = () => {
          const io = window.io;
          if (previous) window.io = previous;
          resolve(io);
        };
        tag.onerror = () => reject(new Error("socket.io-client did not load"));
        document.head.append(tag);
      });
    }

    function connect() {
      if (connection !== "idle") return;
      setConnection("connecting");
      loadSocketIo().then((io) => {
        socket = io(config.rasaUrl, {
          path: config.socketPath,
          transports: ["websocket", "polling"], // WebSocket first ...
          tryAllTransports: true, // ... long-polling if WebSockets are blocked
          reconnectionDelay: 1000,
          reconnectionDelayMax: 5000,
        });
        socket.on("connect", requestSession);
        socket.on("session_confirm", onSessionConfirm);
        socket.on("bot_uttered", onBotMessage);
        socket.on("connect_error", () => setConnection("offline"));
        socket.on("disconnect", (reason) => {
          setConnection("offline");
          if (reason === "io server disconnect") socket.connect(); // the server hung up: dial again
        });
      }, () => setConnection("offline"));
    }

    // ---- opening and closing
    function open(focus) {
      panel.hidden = false;
      root.classList.add("nlc-root--open");
      launcher.setAttribute("aria-expanded", "true");
      state.open = true;
      save();
      setUnread(false);
      connect();
      scrollToEnd();
      if (focus !== false) input.focus();
    }

    function close() {
      panel.hidden = true;
      root.classList.remove("nlc-root--open");
      launcher.setAttribute("aria-expanded", "false");
      state.open = false;
      save();
      launcher.focus();
    }

    function startOver() {
      state = Object.assign(emptyState(), { open: state.open, customer: state.customer });
      save();
      log.replaceChildren();
      intro.hidden = false;
      setTyping(false);
      if (socket && socket.connected) {
        setConnection("connecting");
        requestSession(); // no stored session: the server issues a new one
      }
      input.focus();
    }

    launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
    closeButton.addEventListener("click", close);
    startOverButton.addEventListener("click", startOver);
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") close();
    });
    attachButton.addEventListener("click", () => {
      fetchLimits().then((limits) => (fileInput.accept = limits.types.join(",")));
      fileInput.click();
    });
    fileInput.addEventListener("change", () => {
      const file = fileInput.files && fileInput.files[0];
      fileInput.value = ""; // the same file may be chosen again
      uploadFile(file);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (send(input.value)) input.value = "";
    });
    // While an agent has the chat, the desk shows "Kunde schreibt …": at most one signal in 3 s.
    let typedAt = 0;
    input.addEventListener("input", () => {
      if (connection !== "online" || !input.value.trim() || Date.now() - typedAt < 3000) return;
      typedAt = Date.now();
      socket.emit("user_typing", {});
    });
    // Any element with data-nordlicht-chat="open" on the page opens the chat.
    document.addEventListener("click", (event) => {
      const opener = event.target.closest && event.target.closest('[data-nordlicht-chat="open"]');
      if (!opener) return;
      event.preventDefault();
      open();
    });

    // ---- start: history first (before the log is in the page, so it is not read out again)
    for (const entry of state.history) log.append(renderEntry(entry));
    intro.hidden = state.history.length > 0; // the introduction only greets an empty chat
    save();
    setConnection("idle");
    const stylesheet = el("link");
    stylesheet.rel = "stylesheet";
    stylesheet.href = STYLESHEET.href;
    stylesheet.onload = stylesheet.onerror = () => {
      root.hidden = false;
      if (state.open) open(false);
    };
    document.head.append(stylesheet);
    document.body.append(root);
    if (state.session) connect(); // an ongoing conversation: receive replies even while closed

    return { version: "1.0.0", open: () => open(), close, startOver };
  }

  const config = readConfig();
  if (!safeHttpUrl(config.rasaUrl)) {
    console.error("Nordlicht chat: set rasaUrl (see docs/website-widget.md).");
    return;
  }
  window.NordlichtChat = createWidget(config);
})();
