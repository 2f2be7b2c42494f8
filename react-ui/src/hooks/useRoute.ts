/** The two routes of the app (`/` and `/r/<roomId>`), handled without a router library. */
import { useCallback, useEffect, useState } from 'react';

/** Where we are. */
export type Route = { page: 'landing' } | { page: 'room'; roomId: string } | { page: 'notFound' };

/** The route for a path. */
export function routeOf(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'landing' };
  const match = /^\/r\/([^/]+)\/?$/.exec(pathname);
  if (match) return { page: 'room', roomId: decodeURIComponent(match[1]) };
  return { page: 'notFound' };
}

/** The current route and a `navigate(path)` that uses the History API. */
export function useRoute(): { route: Route; navigate: (path: string) => void } {
  const [pathname, setPathname] = useState(() => window.location.pathname);
  useEffect(() => {
    const onPop = () => setPathname(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((path: string) => {
    window.history.pushState(null, '', path);
    setPathname(window.location.pathname);
  }, []);
  return { route: routeOf(pathname), navigate };
}
