/**
 * The application menu and the tray menu as plain data (the shell turns them into Electron menus). Edit
 * keeps the standard roles: on macOS copy/paste in the grid only work through them.
 */
export type MenuCommand =
  | 'go:sheets'
  | 'go:runs'
  | 'go:profiles'
  | 'go:invitations'
  | 'go:waitlist'
  | 'go:workspace'
  | 'go:approvals'
  | 'showLogs'
  | 'copyDiagnostics'
  | 'toggleLogEmails';
export type MenuSpec = {
  label?: string;
  role?: string;
  type?: 'separator' | 'checkbox';
  accelerator?: string;
  /** Shown but left to the renderer's own key handling (it also works when the menu is hidden). */
  registerAccelerator?: boolean;
  checked?: boolean;
  enabled?: boolean;
  command?: MenuCommand | 'open' | 'pauseAll' | 'quit';
  submenu?: MenuSpec[];
};

export function appMenuTemplate(o: { platform: string; packaged: boolean; appName: string; logEmails: boolean }): MenuSpec[] {
  const mac = o.platform === 'darwin';
  const sep: MenuSpec = { type: 'separator' };
  const go = (label: string, key: string, command: MenuCommand): MenuSpec => ({
    label,
    accelerator: `CmdOrCtrl+${key}`,
    registerAccelerator: false,
    command,
  });
  return [
    ...(mac
      ? [
          {
            label: o.appName,
            submenu: [
              { role: 'about' },
              sep,
              { role: 'services' },
              sep,
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              sep,
              { role: 'quit' },
            ],
          },
        ]
      : [{ label: 'File', submenu: [{ role: 'quit' }] }]),
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        sep,
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        ...(mac ? [{ role: 'pasteAndMatchStyle' }] : []),
        { role: 'delete' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        go('Sheets', '1', 'go:sheets'),
        go('Runs', '2', 'go:runs'),
        go('Profiles', '3', 'go:profiles'),
        go('Invitations', '4', 'go:invitations'),
        go('Waitlist', '5', 'go:waitlist'),
        go('Approvals', '6', 'go:approvals'),
        sep,
        go('Workspace…', ',', 'go:workspace'),
        sep,
        ...(o.packaged ? [] : [{ role: 'reload' }, { role: 'toggleDevTools' }, sep]),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        sep,
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Window',
      submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, sep, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
    },
    {
      role: 'help',
      label: 'Help',
      submenu: [
        { label: 'Show logs folder', command: 'showLogs' },
        { label: 'Copy diagnostics', command: 'copyDiagnostics' },
        { label: 'Include email addresses in logs', type: 'checkbox', checked: o.logEmails, command: 'toggleLogEmails' },
      ],
    },
  ];
}

export function trayMenuTemplate(o: { status: string; runs: number }): MenuSpec[] {
  return [
    { label: o.status, enabled: false },
    { type: 'separator' },
    { label: 'Open Invite Desk', command: 'open' },
    { label: 'Pause all runs', command: 'pauseAll', enabled: o.runs > 0 },
    { type: 'separator' },
    { label: 'Quit', command: 'quit' },
  ];
}
