import { useLayoutEffect, useState, type RefObject } from 'react';

/**
 * A height that makes the element end `gap` px above the bottom of the viewport when the page is
 * scrolled to the top (at least `min`): a page that must fit the screen (the chat, whose message
 * box has to stay in view) whatever the banners above it take. Measured, not a calc() of guessed
 * header heights, and again when the window or the page above it changes size.
 */
export function useFillViewport(
  ref: RefObject<HTMLElement | null>,
  { gap = 16, min = 320 }: { gap?: number; min?: number } = {},
): number | undefined {
  const [height, setHeight] = useState<number>();
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const top = el.getBoundingClientRect().top + window.scrollY;
      setHeight(Math.max(min, Math.floor(window.innerHeight - top - gap)));
    };
    measure();
    window.addEventListener('resize', measure);
    // The element's own height does not change `top`, so this settles after one pass.
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    return () => {
      window.removeEventListener('resize', measure);
      observer.disconnect();
    };
  }, [ref, gap, min]);
  return height;
}
