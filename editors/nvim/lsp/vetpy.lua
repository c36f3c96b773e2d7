-- vetpy language server for Neovim 0.11+ (vim.lsp.config form).
--
-- Install: copy this file to ~/.config/nvim/lsp/vetpy.lua (any 'runtimepath' directory named
-- lsp/ works), then add to your init.lua:
--
--   vim.lsp.enable('vetpy')
--
-- Override any field without editing this file, e.g. a fixed interpreter:
--
--   vim.lsp.config('vetpy', { settings = { vetpy = { interpreter = '/path/to/venv/bin/python' } } })
--
-- Settings (all optional): interpreter (path; default: $VIRTUAL_ENV, then <root>/.venv or
-- <root>/venv, then the Python running vetpy), select / ignore (rule codes or prefixes),
-- debounceMs (default 250), logLevel ('error'|'warning'|'info'|'debug'; :LspLog shows it).
-- vetpy reads [tool.vetpy] in pyproject.toml too; editor settings win.
return {
  cmd = { 'vetpy', 'serve' },
  filetypes = { 'python' },
  root_markers = { 'pyproject.toml', 'setup.cfg', 'setup.py', 'requirements.txt', '.git' },
  -- answered to the server's workspace/configuration request for the section "vetpy"
  settings = {
    vetpy = {
      logLevel = 'info',
    },
  },
}
