-- The Neovim side of test/e2e/neovim/run.mjs. Loaded by the generated init.lua before the
-- configuration copied from docs/editors.md (record(), so that the handlers are wrapped before the
-- client starts), then run by `-c 'lua _G.linger_test.run()'` once the fixture file is open.
--
-- It only drives Neovim's own LSP client and writes down what it sees, one JSON object per line
-- in the results file; the assertions are made by run.mjs. It waits on conditions (vim.wait, which
-- keeps the event loop and so the LSP client running), never for fixed times. Written for every
-- Neovim from 0.7 on: no API newer than 0.7 is called unless it is checked for first.
local M = {}
_G.linger_test = M

local P -- the parameters written by run.mjs
local messages = {} -- window/showMessage, as received
local prompts = {} -- window/showMessageRequest, as received (there must be none)

local started = vim.loop.hrtime()

--- One event, with the milliseconds since init.lua started (for a failure's report).
local function emit(obj)
  obj.ms = math.floor((vim.loop.hrtime() - started) / 1e6)
  vim.fn.writefile({ vim.fn.json_encode(obj) }, P.results, 'a')
end

--- Reads the parameters and wraps the message handlers (each still calls Neovim's own).
function M.record(params_file)
  P = vim.fn.json_decode(table.concat(vim.fn.readfile(params_file), '\n'))
  -- The LSP log (stdpath('cache')/lsp.log, a folder of the test's own) is kept for a failure.
  vim.lsp.set_log_level('debug')
  local show = vim.lsp.handlers['window/showMessage']
  vim.lsp.handlers['window/showMessage'] = function(err, result, ctx, config)
    table.insert(messages, { type = result.type, message = result.message })
    return show(err, result, ctx, config)
  end
  local prompt = vim.lsp.handlers['window/showMessageRequest']
  vim.lsp.handlers['window/showMessageRequest'] = function(err, result, ctx, config)
    table.insert(prompts, { message = result.message })
    -- Written before Neovim's own handler prompts: headless, the prompt may never return.
    emit({ event = 'showMessageRequest', message = result.message })
    return prompt(err, result, ctx, config)
  end
end

--- Compiles every snippet of the page (each must at least be valid Lua for this Neovim) and runs
--- the one for this version, as init.lua would. An error here is written down and Neovim quits:
--- headless, an error message at startup would wait for Enter.
function M.config(files, chosen)
  local ok, err = pcall(function()
    for _, f in ipairs(files) do assert(loadfile(f)) end
    dofile(chosen)
  end)
  if not ok then
    emit({ event = 'error', message = 'the configuration failed: ' .. tostring(err) })
    vim.cmd('cquit 1')
  end
end

local function linger_clients()
  local all = (vim.lsp.get_clients or vim.lsp.get_active_clients)()
  local found = {}
  for _, c in ipairs(all) do
    if c.name == 'linger' then table.insert(found, c) end
  end
  return found
end

local function client_of(buf)
  for _, c in ipairs(linger_clients()) do
    if vim.lsp.buf_is_attached(buf, c.id) then return c end
  end
end

local function linger_diagnostics(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'linger' then table.insert(out, d) end
  end
  return out
end

--- What run.mjs checks of a diagnostic (0-based lines and columns, as Neovim keeps them).
local function brief(d)
  return { source = d.source, code = d.code, lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity, message = d.message, file = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(d.bufnr), ':t') }
end

local function briefs(list)
  local out = {}
  for _, d in ipairs(list) do table.insert(out, brief(d)) end
  return out
end

local function has(buf, code, lnum)
  for _, d in ipairs(linger_diagnostics(buf)) do
    if d.code == code and (lnum == nil or d.lnum == lnum) then return d end
  end
end

--- The LSP diagnostic a vim.diagnostic came from, to send back in a code-action request. Neovim
--- 0.10+ keeps it whole in user_data.lsp; 0.7-0.9 keep only code, codeDescription, tags,
--- relatedInformation and data there, so the rest is rebuilt from the vim.diagnostic's fields.
local function to_lsp(d)
  local lsp = (d.user_data and d.user_data.lsp) or {}
  if lsp.range then return lsp end
  return {
    range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
    severity = d.severity,
    source = d.source,
    code = d.code,
    message = d.message,
    codeDescription = lsp.codeDescription,
    tags = lsp.tags,
    relatedInformation = lsp.relatedInformation,
    data = lsp.data,
  }
end

--- One request to the Linger client of the buffer; returns its result, or nil and the error.
local function request(buf, method, params)
  local responses, err = vim.lsp.buf_request_sync(buf, method, params, P.timeoutMs)
  if not responses then return nil, err or 'no response' end
  local client = client_of(buf)
  local r = client and responses[client.id]
  if not r then return nil, 'no response from the linger client' end
  if r.err or r.error then return nil, vim.inspect(r.err or r.error) end
  return r.result
end

local function hover_text(result)
  if not result or result == vim.NIL then return nil end
  local c = result.contents
  if type(c) == 'string' then return c end
  if c.value then return c.value end
  local parts = {}
  for _, m in ipairs(c) do table.insert(parts, type(m) == 'string' and m or m.value) end
  return table.concat(parts, '\n')
end

local function wait(what, fn)
  local ok = vim.wait(P.timeoutMs, fn, 50)
  -- The last error message too: an error in the configuration's autocommand shows only there.
  if not ok then emit({ event = 'timeout', waiting_for = what, errmsg = vim.v.errmsg }) end
  return ok
end

local function steps()
  local v = vim.version()
  emit({ event = 'start', version = { v.major, v.minor, v.patch } })
  local buf = vim.api.nvim_get_current_buf()
  emit({ event = 'buffer', name = vim.api.nvim_buf_get_name(buf), filetype = vim.bo[buf].filetype })

  if not wait('a linger client attached to the buffer', function() return client_of(buf) ~= nil end) then return end
  local client = client_of(buf)
  emit({ event = 'attached', client = client.id, offset_encoding = client.offset_encoding })

  -- Diagnostics: the leak, and the finding whose severity comes from the `settings` of the config.
  if not wait('the diagnostics of the leak and of the setting', function()
    return has(buf, P.leak.code, P.leak.lnum) and has(buf, P.setting.code) end) then
    emit({ event = 'diagnostics', diagnostics = briefs(linger_diagnostics(buf)) })
    return
  end
  emit({ event = 'diagnostics', diagnostics = briefs(linger_diagnostics(buf)) })

  -- The broken .lingerrc.json: a message that asks nothing, and diagnostics on the config file.
  local function config_diagnostics()
    local out = {}
    for _, d in ipairs(vim.diagnostic.get()) do
      if d.source == 'linger' and vim.api.nvim_buf_get_name(d.bufnr):sub(-#P.config) == P.config then table.insert(out, d) end
    end
    return out
  end
  local function config_message()
    for _, m in ipairs(messages) do
      if m.message:find(P.config, 1, true) then return m end
    end
  end
  wait('the message and the diagnostics about ' .. P.config, function() return config_message() and #config_diagnostics() > 0 end)
  emit({ event = 'config', messages = messages, prompts = prompts, diagnostics = briefs(config_diagnostics()) })

  -- Hover on net.connect(.
  local uri = vim.uri_from_bufnr(buf)
  local hover, herr = request(buf, 'textDocument/hover', { textDocument = { uri = uri }, position = P.hover })
  emit({ event = 'hover', text = hover_text(hover), error = herr })

  -- The code actions on the leak's diagnostic, as vim.lsp.buf.code_action() asks for them.
  local d = has(buf, P.leak.code, P.leak.lnum)
  local lsp_diag = to_lsp(d)
  local actions, aerr = request(buf, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = lsp_diag.range,
    context = { diagnostics = { lsp_diag } },
  })
  local titles = {}
  local chosen
  for _, a in ipairs(actions or {}) do
    table.insert(titles, a.title)
    if a.title == P.fixTitle and not chosen then chosen = a end
  end
  emit({ event = 'codeActions', titles = titles, error = aerr })
  if not chosen then return end
  if not chosen.edit and chosen.data ~= nil then
    local resolved, rerr = request(buf, 'codeAction/resolve', chosen)
    if not resolved then
      emit({ event = 'resolve', error = rerr })
      return
    end
    chosen = resolved
  end
  if not chosen.edit then
    emit({ event = 'applied', error = 'the action has no edit' })
    return
  end
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  emit({ event = 'applied', text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') })

  -- Neovim sends the change; the server analyses the new text and publishes (or is asked for)
  -- diagnostics without the leak, still with the other finding.
  wait('the leak\'s diagnostic gone after the edit, the other finding still there', function()
    return not has(buf, P.leak.code) and has(buf, P.setting.code) end)
  emit({ event = 'reanalysed', diagnostics = briefs(linger_diagnostics(buf)) })

  -- A second file of the project goes to the same server.
  vim.cmd('edit ' .. vim.fn.fnameescape(P.other))
  local other = vim.api.nvim_get_current_buf()
  wait('diagnostics in ' .. P.other, function() return client_of(other) ~= nil and has(other, P.leak.code) end)
  local c2 = client_of(other)
  emit({ event = 'other', client = c2 and c2.id, clients = #linger_clients(), diagnostics = briefs(linger_diagnostics(other)) })
end

function M.run()
  local ok, err = xpcall(steps, debug.traceback)
  if not ok then emit({ event = 'error', message = err }) end
  emit({ event = 'done' })
  vim.cmd('qa!')
end

return M
