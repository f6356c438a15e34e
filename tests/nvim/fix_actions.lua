-- Headless Neovim (0.7+) end-to-end check of tfguard's quick fixes, through the editor's own
-- path: for each step, open the file, wait for the rule's diagnostic, put the cursor on it and
-- run vim.lsp.buf.code_action() with vim.ui.select answering like a user picking the rule's
-- preferred fix (or the fix-all source action). Neovim resolves the action and applies its
-- WorkspaceEdit with vim.lsp.util.apply_workspace_edit; the diagnostic must then go away.
-- Inputs come from the environment; the outcome is written to TFGUARD_RESULT as JSON.

local root = os.getenv("TFGUARD_ROOT")
local steps = vim.fn.json_decode(os.getenv("TFGUARD_STEPS"))
local result_path = os.getenv("TFGUARD_RESULT")
local cmd = vim.fn.json_decode(os.getenv("TFGUARD_CMD"))
local timeout = 30000

local outcome = { ok = false, steps = {} }

local function finish(ok, message)
  outcome.ok = ok
  outcome.message = message
  local handle = assert(io.open(result_path, "w"))
  handle:write(vim.fn.json_encode(outcome))
  handle:close()
  vim.cmd("qall!")
end

local client_id = vim.lsp.start_client({
  name = "tfguard",
  cmd = cmd,
  root_dir = root,
  init_options = { workspaceScan = false, debounceMs = 0 },
})

local function rule_diagnostics(bufnr, rule)
  local namespace = vim.lsp.diagnostic.get_namespace(client_id)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr, { namespace = namespace })) do
    if d.code == rule then
      table.insert(found, d)
    end
  end
  return found
end

-- Answers vim.ui.select with the first item `accept` likes; records every title offered.
local function choose(accept, offered)
  vim.ui.select = function(items, opts, on_choice)
    local picked = nil
    for _, item in ipairs(items) do
      local action = item[2]
      table.insert(offered, action.title)
      if picked == nil and accept(action) then
        picked = item
      end
    end
    on_choice(picked)
  end
end

local function run_step(step)
  vim.cmd("edit " .. vim.fn.fnameescape(root .. "/" .. step.file))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(bufnr, client_id)
  local record = { file = step.file, rule = step.rule, offered = {} }
  table.insert(outcome.steps, record)
  if not vim.wait(timeout, function() return #rule_diagnostics(bufnr, step.rule) > 0 end, 20) then
    error("no " .. step.rule .. " diagnostic in " .. step.file)
  end
  local diagnostic = rule_diagnostics(bufnr, step.rule)[1]
  record.before = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  vim.api.nvim_win_set_cursor(0, { diagnostic.lnum + 1, diagnostic.col })

  local chosen = nil
  if step.fix_all then
    choose(function(action)
      if action.kind == "source.fixAll.tfguard" then
        chosen = action.title
        return true
      end
      return false
    end, record.offered)
    vim.lsp.buf.code_action({ only = { "source.fixAll.tfguard" } })
  else
    choose(function(action)
      local data = action.data
      -- The rule's preferred (safe) fix, or with step.first its first one (an unsafe fix is
      -- offered, never preferred).
      local wanted = action.isPreferred or step.first
      if wanted and type(data) == "table" and data.ruleId == step.rule then
        chosen = action.title
        return true
      end
      return false
    end, record.offered)
    vim.lsp.buf.code_action()
  end
  if not vim.wait(timeout, function() return chosen ~= nil end, 20) then
    error("no matching code action for " .. step.rule)
  end
  record.chosen = chosen
  if not vim.wait(timeout, function() return #rule_diagnostics(bufnr, step.rule) == 0 end, 20) then
    record.after = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
    error("the " .. step.rule .. " diagnostic stayed after the fix")
  end
  record.after = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  record.modified = vim.api.nvim_buf_get_option(bufnr, "modified")
  -- Other buffers the edit touched (a variables.tf the fix declared a variable in).
  record.others = {}
  for _, other in ipairs(vim.api.nvim_list_bufs()) do
    if other ~= bufnr and vim.api.nvim_buf_is_loaded(other)
        and vim.api.nvim_buf_get_option(other, "modified") then
      local name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(other), ":p")
      record.others[name] = vim.api.nvim_buf_get_lines(other, 0, -1, false)
      vim.api.nvim_buf_set_option(other, "modified", false) -- report it once
    end
  end
end

local function run()
  if not client_id then
    return finish(false, "vim.lsp.start_client failed")
  end
  for _, step in ipairs(steps) do
    run_step(step)
  end
  finish(true, "ok")
end

local ok, err = pcall(run)
if not ok then
  finish(false, "error: " .. tostring(err))
end
