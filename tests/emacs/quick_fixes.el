;;; quick_fixes.el --- Emacs (eglot) end-to-end check of tfguard  -*- lexical-binding: t; -*-

;; Run as `emacs --batch -q -l quick_fixes.el'.  Emacs starts as for a new user: the system's
;; packages are activated the way an interactive start does before init.el (so eglot comes
;; from Emacs itself or from the system's eglot package), then the init file given in
;; TFGUARD_INIT (the README's snippet, unchanged) is loaded.  For each step the file is
;; visited, eglot is left to start through the snippet's hooks, and tfguard's diagnostic must
;; reach Flymake; then the step's action is applied the way a user would:
;;   "quickfix": C-u M-x eglot-code-actions RET quickfix RET, picking the step's fix;
;;   "ignore":   M-x eglot-code-actions, picking "Ignore <rule> for this line";
;;   "fix-all":  the README's fix-all expression (TFGUARD_FIX_ALL), evaluated.
;; The minibuffer answers come from the step (completing-read and y-or-n-p are answered like
;; a user would, and every prompt is recorded).  The diagnostic must then go away.  The
;; outcome is written to TFGUARD_RESULT as JSON.

(require 'json)
(require 'cl-lib)
(require 'seq)

(defvar tfguard-test--timeout 30.0 "Seconds to wait for one thing to happen.")
(defvar tfguard-test--outcome nil "The steps recorded so far.")

(defun tfguard-test--put (record key value)
  (puthash key value record))

(defun tfguard-test--env (name)
  (or (getenv name) (error "%s is not set" name)))

(defun tfguard-test--finish (ok message)
  (with-temp-file (tfguard-test--env "TFGUARD_RESULT")
    (insert (json-encode
             `((ok . ,(if ok t :json-false))
               (message . ,message)
               (emacs . ,emacs-version)
               (eglot . ,(tfguard-test--eglot-version))
               (steps . ,(vconcat (reverse tfguard-test--outcome)))))))
  (kill-emacs (if ok 0 1)))

(defun tfguard-test--eglot-version ()
  (let ((library (locate-library "eglot")))
    (or (ignore-errors
          (and library
               (with-temp-buffer
		 (insert-file-contents (concat (file-name-sans-extension library) ".el"))
		 (and (re-search-forward "^;; Version: \\(.+\\)$" nil t)
                      (match-string 1)))))
        "unknown")))

(defun tfguard-test--settle ()
  "What the command loop does after a command.
Run `post-command-hook', then, Emacs being idle, its idle timers
\(eglot sends edits and Flymake starts from them)."
  (run-hooks 'post-command-hook)
  (dolist (timer (copy-sequence timer-idle-list))
    (when (memq timer timer-idle-list)
      (timer-event-handler timer))))

(defun tfguard-test--wait (predicate what)
  "Process events until PREDICATE holds.
Signal an error naming WHAT after the timeout."
  (let ((deadline (+ (float-time) tfguard-test--timeout)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05)
      (tfguard-test--settle))
    (or (funcall predicate) (error "Timed out waiting for %s" what))))

(defun tfguard-test--codes ()
  "The rule ids of the current buffer's Flymake diagnostics.
They are read from eglot's LSP diagnostics."
  (delq nil
        (mapcar (lambda (diag)
                  (let ((lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data diag)))))
                    (and lsp (plist-get lsp :code))))
                (flymake-diagnostics))))

(defun tfguard-test--diagnostic (rule)
  (seq-find (lambda (diag)
              (let ((lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data diag)))))
                (equal (plist-get lsp :code) rule)))
            (flymake-diagnostics)))

(defun tfguard-test--lines ()
  (vconcat (split-string (buffer-substring-no-properties (point-min) (point-max)) "\n")))

(defun tfguard-test--other-buffers (this)
  "Modified file buffers other than THIS: path -> (exists-on-disk . lines)."
  (let (others)
    (dolist (buffer (buffer-list))
      (when (and (not (eq buffer this)) (buffer-file-name buffer) (buffer-modified-p buffer))
        (with-current-buffer buffer
          (push (cons (buffer-file-name)
                      `((exists . ,(if (file-exists-p (buffer-file-name)) t :json-false))
                        (mode . ,(symbol-name major-mode))
                        (lines . ,(tfguard-test--lines))))
                others)
          (set-buffer-modified-p nil))))   ; report each one once
    others))

(defun tfguard-test--answering (step record thunk)
  "Call THUNK with the minibuffer answered for STEP; prompts go into RECORD."
  (let ((kinds (alist-get 'kind step))
        (pick (alist-get 'pick step))
        (rule (alist-get 'rule step))
        (prompts nil))
    (cl-letf (((symbol-function 'completing-read)
               (lambda (prompt collection &rest _)
                 (push prompt prompts)
                 (if (string-match-p "Action kind" prompt)
                     kinds
                   (let* ((titles (mapcar #'car collection))
                          (found (seq-find
                                  (lambda (item)
                                    (let ((data (plist-get (cdr item) :data)))
                                      (and (string-match-p (regexp-quote pick) (car item))
                                           (or (null data)
                                               (equal (plist-get data :ruleId) rule)))))
                                  collection)))
                     (tfguard-test--put record "offered" (vconcat titles))
                     (if found
                         (progn (tfguard-test--put record "chosen" (car found))
                                (car found))
                       (error "No action matching %S among %S" pick titles))))))
              ((symbol-function 'y-or-n-p)
               (lambda (prompt)
                 (push prompt prompts)
                 t)))
      ;; A keyboard event, as when the command is typed (a mouse event would pop up a menu).
      (let ((last-nonmenu-event ?\r))
        (unwind-protect (funcall thunk)
          (tfguard-test--put record "prompts" (vconcat (reverse prompts))))))))

(defun tfguard-test--run-step (root step)
  (let* ((file (expand-file-name (alist-get 'file step) root))
         (rule (alist-get 'rule step))
         (how (alist-get 'how step))
         (record (make-hash-table :test #'equal)))
    (tfguard-test--put record "file" (alist-get 'file step))
    (tfguard-test--put record "rule" rule)
    (push record tfguard-test--outcome)
    (find-file file)
    (tfguard-test--put record "mode" (symbol-name major-mode))
    (tfguard-test--wait (lambda () (bound-and-true-p eglot--managed-mode))
                        (format "eglot to manage %s" file))
    (tfguard-test--put record "language" (if (fboundp 'eglot--language-id)
                                             (eglot--language-id (eglot-current-server))
                                           "unknown"))
    (tfguard-test--wait (lambda () (tfguard-test--diagnostic rule))
                        (format "the %s diagnostic in %s" rule file))
    (seq-doseq (absent (alist-get 'absent step))
      (tfguard-test--wait (lambda () (not (member absent (tfguard-test--codes))))
                          (format "%s to stay hidden in %s" absent file)))
    (tfguard-test--put record "codes" (vconcat (tfguard-test--codes)))
    (tfguard-test--put record "before" (tfguard-test--lines))
    (goto-char (flymake-diagnostic-beg (tfguard-test--diagnostic rule)))
    (tfguard-test--answering
     step record
     (lambda ()
       (pcase how
         ("quickfix" (let ((current-prefix-arg '(4)))
                       (call-interactively #'eglot-code-actions)))
         ("ignore" (call-interactively #'eglot-code-actions))
         ("fix-all" (let ((form (car (read-from-string
                                      (tfguard-test--env "TFGUARD_FIX_ALL")))))
                      (tfguard-test--put record "chosen" (format "%S" form))
                      (eval form t)))
         (_ (error "Unknown step kind %S" how)))))
    (tfguard-test--settle)
    (tfguard-test--put record "after" (tfguard-test--lines))
    (tfguard-test--put record "modified" (if (buffer-modified-p) t :json-false))
    (tfguard-test--put record "others" (tfguard-test--other-buffers (current-buffer)))
    (tfguard-test--wait (lambda () (not (tfguard-test--diagnostic rule)))
                        (format "the %s diagnostic to go after the fix" rule))
    (tfguard-test--put record "codes_after" (vconcat (tfguard-test--codes)))))

(defun tfguard-test--main ()
  ;; What an interactive start does before loading init.el.
  (package-activate-all)
  (unless (locate-library "eglot")
    (error "Emacs %s has no eglot: install the eglot package (Debian: elpa-eglot)"
           emacs-version))
  (load (tfguard-test--env "TFGUARD_INIT") nil nil t)
  (let ((root (file-name-as-directory (tfguard-test--env "TFGUARD_ROOT")))
        (steps (json-read-from-string (tfguard-test--env "TFGUARD_STEPS"))))
    (seq-doseq (step steps)
      (tfguard-test--run-step root step)))
  (tfguard-test--finish t "ok"))

(condition-case err
    (tfguard-test--main)
  (error (tfguard-test--finish nil (error-message-string err))))

;;; quick_fixes.el ends here
