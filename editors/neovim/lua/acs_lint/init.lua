-- acs-lint for Neovim: registers the acs-lint language server (`acs-lint lsp`) for the languages it checks.
--
--   require("acs_lint").setup({
--     cmd = { "acs-lint", "lsp" },
--     settings = { rules = { ignore = { "ACS006" } }, inlayHints = false, scanWorkspace = true },
--   })
--
-- Neovim 0.11+: vim.lsp.config("acs_lint", ...) + vim.lsp.enable("acs_lint").
-- Neovim 0.10:  a FileType autocommand that calls vim.lsp.start().

local M = {}

M.name = "acs_lint"

--- Filetypes of the languages acs-lint checks (C#, Python, JavaScript, TypeScript, Java).
M.default_filetypes = {
  "cs",
  "python",
  "javascript",
  "javascriptreact",
  "typescript",
  "typescriptreact",
  "java",
}

--- Files that mark the root of a project: the server reads acs-lint.toml and scans the root's files.
M.default_root_markers = { "acs-lint.toml", ".git" }

M.default_cmd = { "acs-lint", "lsp" }

--- The options of the last setup() call, normalised (also read by :checkhealth acs_lint).
M.options = nil

local augroup_name = "acs_lint"

local function has(version)
  return vim.fn.has("nvim-" .. version) == 1
end

--- Calls a method of an LSP client object the way this Neovim expects: `client:method(...)` on 0.11+ (where
--- `client.method(...)` is deprecated), `client.method(...)` on 0.10.
function M.client_call(client, method, ...)
  if has("0.11") then
    return client[method](client, ...)
  end
  return client[method](...)
end

--- vim.validate in the form this Neovim prefers (positional on 0.11+, a spec table on 0.10).
local function validate(name, value, expected, optional)
  if has("0.11") then
    vim.validate(name, value, expected, optional)
  else
    vim.validate({ [name] = { value, expected, optional } })
  end
end

local function normalize_cmd(cmd)
  if cmd == nil then
    return vim.deepcopy(M.default_cmd)
  end
  if type(cmd) == "string" then
    return { cmd, "lsp" }
  end
  if type(cmd) == "table" or type(cmd) == "function" then
    return cmd
  end
  error("acs_lint.setup: `cmd` must be a list like { 'acs-lint', 'lsp' } or the path of the binary")
end

--- Normalises setup() options: fills defaults and checks types.
function M.normalize(opts)
  opts = opts or {}
  validate("opts", opts, "table")
  validate("settings", opts.settings, "table", true)
  validate("filetypes", opts.filetypes, "table", true)
  validate("root_markers", opts.root_markers, "table", true)
  validate("on_attach", opts.on_attach, "function", true)
  validate("on_init", opts.on_init, "function", true)
  validate("on_exit", opts.on_exit, "function", true)
  validate("capabilities", opts.capabilities, "table", true)
  return {
    cmd = normalize_cmd(opts.cmd),
    settings = vim.deepcopy(opts.settings or {}),
    filetypes = vim.deepcopy(opts.filetypes or M.default_filetypes),
    root_markers = vim.deepcopy(opts.root_markers or M.default_root_markers),
    on_attach = opts.on_attach,
    on_init = opts.on_init,
    on_exit = opts.on_exit,
    capabilities = opts.capabilities,
    cmd_env = opts.cmd_env,
    -- Internal: use the Neovim 0.10 code path on a newer Neovim too (the tests run both paths).
    _legacy = opts._legacy == true,
  }
end

--- The LSP client configuration built from normalised options. `settings` is sent as the "acs-lint"
--- section, so Neovim's own workspace/configuration handler answers the server's pulls with it; the same
--- object goes in initializationOptions.
function M.client_config(options)
  local config = {
    name = M.name,
    cmd = options.cmd,
    cmd_env = options.cmd_env,
    filetypes = options.filetypes,
    root_markers = options.root_markers,
    settings = { ["acs-lint"] = vim.deepcopy(options.settings) },
    init_options = vim.deepcopy(options.settings),
    on_attach = options.on_attach,
    on_init = options.on_init,
    on_exit = options.on_exit,
    capabilities = options.capabilities,
  }
  return config
end

--- The project root for a buffer: the closest directory above it with acs-lint.toml or .git, else the
--- file's own directory.
function M.root_dir(bufnr, markers)
  markers = markers or M.default_root_markers
  local fname = vim.api.nvim_buf_get_name(bufnr)
  if fname == "" then
    return nil
  end
  if vim.fs.root then
    local root = vim.fs.root(bufnr, markers)
    if root then
      return root
    end
  else
    local found = vim.fs.find(markers, { path = vim.fs.dirname(fname), upward = true })[1]
    if found then
      return vim.fs.dirname(found)
    end
  end
  return vim.fs.dirname(fname)
end

local function start_legacy(options, bufnr)
  local config = M.client_config(options)
  config.root_markers = nil
  config.filetypes = nil
  config.root_dir = M.root_dir(bufnr, options.root_markers)
  if config.root_dir then
    config.workspace_folders = {
      { uri = vim.uri_from_fname(config.root_dir), name = config.root_dir },
    }
  end
  return vim.lsp.start(config, { bufnr = bufnr })
end

--- Registers the server. Call once from your init.lua; calling it again replaces the configuration.
function M.setup(opts)
  if not has("0.10") then
    vim.notify("acs-lint needs Neovim 0.10 or newer", vim.log.levels.ERROR)
    return
  end
  local options = M.normalize(opts)
  M.options = options
  M._lsp_config = nil

  local group = vim.api.nvim_create_augroup(augroup_name, { clear = true })

  if has("0.11") and vim.lsp.config and vim.lsp.enable and not options._legacy then
    local config = M.client_config(options)
    config.name = nil
    -- Assignment replaces the whole config (vim.lsp.config(name, cfg) would merge lists index by index
    -- into what an earlier setup() left).
    vim.lsp.config[M.name] = config
    M._lsp_config = config
    vim.lsp.enable(M.name)
    return
  end

  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = options.filetypes,
    desc = "Start the acs-lint language server",
    callback = function(args)
      if vim.bo[args.buf].buftype ~= "" then
        return
      end
      start_legacy(options, args.buf)
    end,
  })
  -- Buffers that were open before setup().
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(options.filetypes, vim.bo[bufnr].filetype) then
      start_legacy(options, bufnr)
    end
  end
end

--- The running acs-lint clients (all buffers, or one buffer).
function M.clients(bufnr)
  return vim.lsp.get_clients({ name = M.name, bufnr = bufnr })
end

--- Changes the server's settings at run time, e.g.
---   require("acs_lint").set_settings({ rules = { ignore = { "ACS001" } } })
--- Updates what Neovim answers to workspace/configuration and sends workspace/didChangeConfiguration with
--- the new "acs-lint" section to every running acs-lint client. The server republishes its diagnostics.
function M.set_settings(settings)
  validate("settings", settings, "table")
  if M.options then
    M.options.settings = vim.deepcopy(settings)
  end
  if M._lsp_config then
    -- Clients started from now on (another root) get the new settings too.
    M._lsp_config.settings = { ["acs-lint"] = vim.deepcopy(settings) }
    M._lsp_config.init_options = vim.deepcopy(settings)
    vim.lsp.config[M.name] = M._lsp_config
  end
  for _, client in ipairs(M.clients()) do
    client.settings = client.settings or {}
    client.settings["acs-lint"] = vim.deepcopy(settings)
    if client.config then
      client.config.settings = client.config.settings or {}
      client.config.settings["acs-lint"] = vim.deepcopy(settings)
    end
    M.client_call(client, "notify", "workspace/didChangeConfiguration", {
      settings = { ["acs-lint"] = vim.deepcopy(settings) },
    })
  end
end

return M
