import { useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { ApiKeyControl } from './ApiKeyDialog';
import { ProviderBanner, ProviderChip } from './ProviderBanner';

export const NAV = [
  { to: '/', label: 'Generate Story', end: true },
  { to: '/chat', label: 'Chat' },
  { to: '/history', label: 'History' },
  { to: '/cost', label: 'Cost' },
  { to: '/context', label: 'Context' },
  { to: '/runs', label: 'Runs' },
  { to: '/batches', label: 'Batches' },
  { to: '/schedules', label: 'Schedules' },
  { to: '/audit', label: 'Audit' },
  { to: '/logs', label: 'Logs' },
];

const linkClass = ({ isActive }: { isActive: boolean }) =>
  `rounded-md px-2 py-2 text-sm font-medium whitespace-nowrap xl:px-3 transition-colors focus-visible:outline-white ${
    isActive ? 'bg-indigo-800 text-white' : 'text-indigo-100 hover:bg-indigo-600 hover:text-white'
  }`;

export function Layout() {
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  useEffect(() => setMenuOpen(false), [location.pathname]);

  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only z-50 rounded bg-white px-3 py-2 text-indigo-700 focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <header className="bg-indigo-700 shadow">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-4 px-4">
          <NavLink
            to="/"
            className="flex shrink-0 items-center gap-2 font-semibold text-white focus-visible:outline-white"
            aria-label="Quillflow home"
          >
            <svg viewBox="0 0 32 32" className="size-7" aria-hidden="true">
              <rect width="32" height="32" rx="7" fill="#fff" fillOpacity="0.15" />
              <path d="M9 23c6-1 11-6 14-14-4 2-9 5-12 10l-2 4z" fill="#fff" />
            </svg>
            <span>Quillflow</span>
          </NavLink>
          <nav
            aria-label="Main"
            className="hidden flex-1 items-center gap-0.5 overflow-x-auto lg:flex xl:gap-1"
          >
            {NAV.map((n) => (
              <NavLink key={n.to} to={n.to} end={n.end} className={linkClass}>
                {n.label}
              </NavLink>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-2">
            <ApiKeyControl />
            <ProviderChip />
            <button
              type="button"
              className="rounded-md p-2 text-indigo-100 hover:bg-indigo-600 focus-visible:outline-white lg:hidden"
              aria-expanded={menuOpen}
              aria-controls="mobile-menu"
              onClick={() => setMenuOpen((o) => !o)}
            >
              <span className="sr-only">{menuOpen ? 'Close menu' : 'Open menu'}</span>
              <svg
                viewBox="0 0 24 24"
                className="size-6"
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
                aria-hidden="true"
              >
                {menuOpen ? (
                  <path d="M6 6l12 12M18 6L6 18" />
                ) : (
                  <path d="M4 7h16M4 12h16M4 17h16" />
                )}
              </svg>
            </button>
          </div>
        </div>
        {menuOpen && (
          <nav
            id="mobile-menu"
            aria-label="Main (mobile)"
            className="border-t border-indigo-600 px-4 py-2 lg:hidden"
          >
            <div className="grid gap-1 sm:grid-cols-2">
              {NAV.map((n) => (
                <NavLink key={n.to} to={n.to} end={n.end} className={linkClass}>
                  {n.label}
                </NavLink>
              ))}
            </div>
          </nav>
        )}
      </header>
      <ProviderBanner />
      <main
        id="main"
        tabIndex={-1}
        className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 outline-none sm:py-8"
      >
        <Outlet />
      </main>
      <footer className="border-t border-slate-200 py-4 text-center text-xs text-slate-500">
        Quillflow · durable, audited generation on Temporal ·{' '}
        <a className="underline hover:text-slate-700" href="/api/docs">
          API docs
        </a>
      </footer>
    </div>
  );
}
