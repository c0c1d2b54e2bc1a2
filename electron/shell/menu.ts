// The application menu: standard roles only, plus help links that go through the external-link allow-list.
import { Menu, type MenuItemConstructorOptions } from 'electron';
import { openExternalIfAllowed } from './web-guards.ts';

export function buildAppMenu(options: { readonly isMac: boolean; readonly devTools: boolean }): Menu {
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    ...(options.devTools ? [{ role: 'toggleDevTools' } as const] : []),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  const template: MenuItemConstructorOptions[] = [
    ...(options.isMac ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Prodigy documentation', click: () => openExternalIfAllowed('https://prodi.gy/docs') },
        { label: 'AWS credentials and profiles', click: () => openExternalIfAllowed('https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html') },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
