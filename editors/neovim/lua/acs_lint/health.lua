-- :checkhealth acs_lint

local M = {}

local function version_string()
  local v = vim.version()
  local s = ("%d.%d.%d"):format(v.major, v.minor, v.patch)
  if v.prerelease then
    s = s .. "-" .. tostring(v.prerelease)
  end
  return s
end

--- Runs `<binary> --version` and returns its first line, or nil and an error.
local function binary_version(exe)
  local ok, result = pcall(function()
    return vim.system({ exe, "--version" }, { text = true }):wait(5000)
  end)
  if not ok then
    return nil, tostring(result)
  end
  if result.code ~= 0 then
    local out = vim.trim((result.stderr or "") .. (result.stdout or ""))
    return nil, ("exited with code %s%s"):format(
      tostring(result.code),
      out ~= "" and (": " .. vim.split(out, "\n")[1]) or ""
    )
  end
  local line = vim.split(vim.trim(result.stdout or ""), "\n")[1] or ""
  if line == "" then
    return nil, "printed nothing"
  end
  return line
end

function M.check()
  local health = vim.health
  local acs_lint = require("acs_lint")

  health.start("Neovim")
  if vim.fn.has("nvim-0.10") == 1 then
    local modern = vim.fn.has("nvim-0.11") == 1 and not (acs_lint.options and acs_lint.options._legacy)
    local how = modern and "vim.lsp.config + vim.lsp.enable" or "vim.lsp.start on FileType"
    health.ok(("Neovim %s (>= 0.10); the server is registered with %s"):format(version_string(), how))
  else
    health.error(("Neovim %s is too old"):format(version_string()), { "acs-lint needs Neovim 0.10 or newer" })
  end

  health.start("acs-lint binary")
  local options = acs_lint.options
  if options == nil then
    health.warn('setup() has not been called', { 'Add require("acs_lint").setup({}) to your init.lua' })
    options = acs_lint.normalize({})
  end
  local cmd = options.cmd
  if type(cmd) == "function" then
    health.info("`cmd` is a function: the binary cannot be checked from here")
  else
    local exe = cmd[1]
    if vim.fn.executable(exe) ~= 1 then
      health.error(("`%s` not found or not executable (cmd = %s)"):format(exe, vim.inspect(cmd)), {
        "Install it: `cargo install --path .` in a clone of the acs-lint repository (puts it in ~/.cargo/bin)",
        "Make sure the directory is on $PATH, or pass the full path: setup({ cmd = { '/path/to/acs-lint', 'lsp' } })",
      })
    else
      local path = vim.fn.exepath(exe)
      health.ok(("binary found: %s"):format(path ~= "" and path or exe))
      local line, err = binary_version(exe)
      if line then
        health.ok(("`%s --version`: %s"):format(exe, line))
      else
        health.error(("`%s --version` failed: %s"):format(exe, err), {
          "Rebuild or reinstall acs-lint (`cargo install --path .`)",
        })
      end
    end
  end

  health.start("acs-lint setup")
  if acs_lint.options ~= nil then
    health.info(("filetypes: %s"):format(table.concat(options.filetypes, ", ")))
    health.info(("settings: %s"):format(vim.inspect(options.settings, { newline = " ", indent = "" })))
  end
  local clients = acs_lint.clients()
  if #clients == 0 then
    health.info("no acs-lint client is running (open a C#, Python, JavaScript, TypeScript or Java file)")
  else
    for _, client in ipairs(clients) do
      local root = client.root_dir or (client.config and client.config.root_dir) or "(no root)"
      local buffers = vim.tbl_keys(client.attached_buffers or {})
      health.ok(("client %d running, root %s, %d buffer(s) attached"):format(client.id, root, #buffers))
    end
  end
end

return M
