-- Headless Neovim (0.7+) end-to-end check of tfguard: open a file with an insecure security
-- group, wait for tfguard's diagnostic, apply "Ignore ... for this line" and see it go.
-- Inputs come from the environment; the outcome is written to TFGUARD_RESULT as JSON.

local fixture = os.getenv("TFGUARD_FIXTURE")
local result_path = os.getenv("TFGUARD_RESULT")
local cmd = vim.fn.json_decode(os.getenv("TFGUARD_CMD"))
local timeout = 30000

local function finish(ok, message, extra)
  local out = vim.tbl_extend("force", { ok = ok, message = message }, extra or {})
  local handle = assert(io.open(result_path, "w"))
  handle:write(vim.fn.json_encode(out))
  handle:close()
  vim.cmd("qall!")
end

local function run()
  vim.cmd("edit " .. vim.fn.fnameescape(fixture))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "tfguard",
    cmd = cmd,
    root_dir = vim.fn.fnamemodify(fixture, ":p:h:h"),
    init_options = { workspaceScan = false, debounceMs = 0 },
  })
  if not client_id then
    return finish(false, "vim.lsp.start_client failed")
  end
  vim.lsp.buf_attach_client(bufnr, client_id)
  local namespace = vim.lsp.diagnostic.get_namespace(client_id)
  local function tfguard_diagnostics()
    return vim.diagnostic.get(bufnr, { namespace = namespace })
  end

  if not vim.wait(timeout, function() return #tfguard_diagnostics() > 0 end, 20) then
    return finish(false, "no diagnostics from tfguard")
  end
  local first = tfguard_diagnostics()[1]
  local seen = { code = first.code, source = first.source, lnum = first.lnum, col = first.col }

  -- The context a user's :lua vim.lsp.buf.code_action() would send for that line.
  local line_diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, first.lnum, nil, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = line_diagnostics[1].range,
    context = { diagnostics = line_diagnostics },
  }
  local response = client.request_sync("textDocument/codeAction", params, timeout, bufnr)
  if not response or response.err then
    return finish(false, "codeAction failed: " .. vim.inspect(response), { diagnostic = seen })
  end
  local action
  local titles = {}
  for _, candidate in ipairs(response.result or {}) do
    table.insert(titles, candidate.title)
    if candidate.title:match("^Ignore .* for this line$") then
      action = candidate
    end
  end
  if not action then
    return finish(false, "no ignore action", { diagnostic = seen, titles = titles })
  end
  if not action.edit then
    local resolved = client.request_sync("codeAction/resolve", action, timeout, bufnr)
    if not resolved or resolved.err or not resolved.result.edit then
      return finish(false, "codeAction/resolve failed: " .. vim.inspect(resolved))
    end
    action = resolved.result
  end
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)

  if not vim.wait(timeout, function() return #tfguard_diagnostics() == 0 end, 20) then
    return finish(false, "the diagnostic stayed after the ignore comment", { diagnostic = seen })
  end
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  finish(true, "ok", { diagnostic = seen, titles = titles, lines = lines })
end

local ok, err = pcall(run)
if not ok then
  finish(false, "error: " .. tostring(err))
end
