import type { IconName } from '../../kiosk-config/catalogue-schema';

/** Plain line pictures for the categories: recognisable without reading, no animation. */
const paths: Record<IconName, string> = {
  pension: 'M12 44h40M16 44V26m10 18V26m12 18V26m10 18V26M10 22l22-12 22 12z',
  medical: 'M26 10h12v16h16v12H38v16H26V38H10V26h16z',
  elderly: 'M30 10a6 6 0 1 0 0.1 0M30 20v14l-8 20m8-20 8 20m-8-28 12 8m4-4v34',
  farm: 'M32 54V28m0 0c0-10 8-16 18-16 0 10-8 16-18 16zm0 8C32 26 24 20 14 20c0 10 8 16 18 16zM10 54h44',
  disability: 'M28 10a5 5 0 1 0 0.1 0M28 20v16h14l6 14M28 28h12M22 30a14 14 0 1 0 18 18',
  certificate: 'M16 8h24l10 10v38H16zM40 8v10h10M22 30h20M22 38h20M22 46h12',
  social: 'M20 24a6 6 0 1 0 0.1 0M44 24a6 6 0 1 0 0.1 0M8 50c2-10 22-10 24 0M32 50c2-10 22-10 24 0',
};

export function Icon({ name }: { name: IconName }) {
  return (
    <svg
      class="icon"
      viewBox="0 0 64 64"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      stroke-width="4"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      <path d={paths[name]} />
    </svg>
  );
}
