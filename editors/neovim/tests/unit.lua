-- Tests of the plugin that need no server:
--   nvim --headless -u NONE -i NONE -l editors/neovim/tests/unit.lua
-- Exits 0 when all pass, 1 on the first failure.

local script = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p")
local plugin_dir = vim.fn.fnamemodify(script, ":h:h")
vim.opt.runtimepath:prepend(plugin_dir)
vim.cmd("filetype on")

local passed = 0
local function test(name, fn)
  local ok, err = pcall(fn)
  if not ok then
    io.stderr:write(("FAIL: %s: %s\n"):format(name, tostring(err)))
    os.exit(1)
  end
  passed = passed + 1
  io.stdout:write(("ok %d - %s\n"):format(passed, name))
end

local function eq(actual, expected, what)
  if not vim.deep_equal(actual, expected) then
    error(("%s: expected %s, got %s"):format(what or "value", vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

local acs_lint = require("acs_lint")
local modern = vim.fn.has("nvim-0.11") == 1

test("defaults: cmd, the seven filetypes, root markers", function()
  local o = acs_lint.normalize()
  eq(o.cmd, { "acs-lint", "lsp" }, "cmd")
  eq(o.filetypes, { "cs", "python", "javascript", "javascriptreact", "typescript", "typescriptreact", "java" }, "filetypes")
  eq(o.root_markers, { "acs-lint.toml", ".git" }, "root_markers")
  eq(o.settings, {}, "settings")
end)

test("a string cmd is the binary's path", function()
  eq(acs_lint.normalize({ cmd = "/opt/acs-lint" }).cmd, { "/opt/acs-lint", "lsp" })
end)

test("bad options are rejected with a message", function()
  local ok, err = pcall(acs_lint.normalize, { settings = "ACS001" })
  assert(not ok and tostring(err):find("settings"), "settings must be a table: " .. tostring(err))
  ok, err = pcall(acs_lint.normalize, { cmd = 42 })
  assert(not ok and tostring(err):find("cmd"), "cmd must be a list or a string: " .. tostring(err))
end)

test("settings go under the acs-lint section and into init_options", function()
  local settings = { rules = { ignore = { "ACS006" }, severity = { ACS007 = "warning" } }, inlayHints = true }
  local c = acs_lint.client_config(acs_lint.normalize({ settings = settings }))
  eq(c.settings, { ["acs-lint"] = settings }, "settings")
  eq(c.init_options, settings, "init_options")
  eq(c.name, "acs_lint", "name")
end)

test("root_dir: the closest acs-lint.toml or .git, else the file's folder", function()
  local root = vim.fn.resolve(vim.fn.tempname())
  vim.fn.mkdir(root .. "/app/src", "p")
  vim.fn.writefile({}, root .. "/app/acs-lint.toml")
  vim.fn.writefile({ "x = 1" }, root .. "/app/src/main.py")
  vim.fn.mkdir(root .. "/loose", "p")
  vim.fn.writefile({ "x = 1" }, root .. "/loose/a.py")
  vim.cmd.edit(root .. "/app/src/main.py")
  eq(acs_lint.root_dir(0), root .. "/app", "root with acs-lint.toml")
  vim.cmd.edit(root .. "/loose/a.py")
  eq(acs_lint.root_dir(0), root .. "/loose", "root without markers")
  vim.cmd("silent %bwipeout!")
  vim.fn.delete(root, "rf")
end)

if modern then
  test("0.11+: setup registers vim.lsp.config.acs_lint and enables it; a second setup replaces it", function()
    acs_lint.setup({ cmd = { "/bin/true", "lsp" }, filetypes = { "python", "java" }, settings = { inlayHints = true } })
    local cfg = vim.lsp.config["acs_lint"]
    eq(cfg.cmd, { "/bin/true", "lsp" }, "cmd")
    eq(cfg.filetypes, { "python", "java" }, "filetypes")
    eq(cfg.settings, { ["acs-lint"] = { inlayHints = true } }, "settings")
    eq(cfg.root_markers, { "acs-lint.toml", ".git" }, "root_markers")
    if vim.lsp.is_enabled then
      assert(vim.lsp.is_enabled("acs_lint"), "acs_lint is enabled")
    end
    acs_lint.setup({ cmd = { "/bin/true", "lsp" }, filetypes = { "cs" } })
    cfg = vim.lsp.config["acs_lint"]
    eq(cfg.filetypes, { "cs" }, "filetypes after a second setup (replaced, not merged)")
    eq(cfg.settings, { ["acs-lint"] = {} }, "settings after a second setup")
    acs_lint.set_settings({ rules = { ignore = { "ACS001" } } })
    eq(vim.lsp.config["acs_lint"].settings, { ["acs-lint"] = { rules = { ignore = { "ACS001" } } } }, "set_settings")
    if vim.lsp.enable then
      vim.lsp.enable("acs_lint", false)
    end
  end)
end

test("0.10 path: setup creates a FileType autocommand for the filetypes", function()
  acs_lint.setup({ cmd = { "/bin/true", "lsp" }, _legacy = true })
  local autocmds = vim.api.nvim_get_autocmds({ group = "acs_lint", event = "FileType" })
  local patterns = {}
  for _, a in ipairs(autocmds) do
    table.insert(patterns, a.pattern)
  end
  table.sort(patterns)
  eq(patterns, { "cs", "java", "javascript", "javascriptreact", "python", "typescript", "typescriptreact" }, "patterns")
end)

test(":checkhealth acs_lint reports a missing binary as an error with advice", function()
  acs_lint.setup({ cmd = { "/nonexistent/acs-lint", "lsp" }, _legacy = true })
  vim.cmd("silent checkhealth acs_lint")
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  assert(text:find("ERROR", 1, true) and text:find("/nonexistent/acs-lint", 1, true), text)
  assert(text:find("cargo install --path .", 1, true), "advice names cargo install: " .. text)
  assert(text:find("OK Neovim", 1, true), "Neovim version is OK: " .. text)
  vim.cmd("tabclose")
end)

test(":checkhealth acs_lint runs `--version` of a found binary", function()
  local fake = vim.fn.tempname()
  vim.fn.writefile({ "#!/bin/sh", "echo 'acs-lint 9.9.9'" }, fake)
  vim.fn.setfperm(fake, "rwxr-xr-x")
  acs_lint.setup({ cmd = { fake, "lsp" }, _legacy = true })
  vim.cmd("silent checkhealth acs_lint")
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  assert(text:find("OK binary found: " .. fake, 1, true), text)
  assert(text:find("--version`: acs-lint 9.9.9", 1, true), text)
  assert(not text:find("ERROR", 1, true), text)
  vim.cmd("tabclose")
  vim.fn.delete(fake)
end)

io.stdout:write(("neovim-unit: %d passed, 0 failed\n"):format(passed))
os.exit(0)
