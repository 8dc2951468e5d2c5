/**
 * Tests print to virtual printers on whatever port the system gives them, so their tills allow every
 * unprivileged port (a shipped till allows 9100–9103 unless OPENTILL_PRINTER_PORTS says more).
 */
export const TEST_PRINTER_PORTS = { OPENTILL_PRINTER_PORTS: '1024-65535' } as const;
