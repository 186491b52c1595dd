import { afterEach, describe, expect, it } from 'vitest';
import { addDays, daysBetween, formatDate, isIsoDate, localDate } from '~/domain/calendar';

describe('isIsoDate', () => {
  it.each(['2026-01-01', '2026-04-30', '2026-12-31', '2026-02-28', '1999-12-31', '2100-02-28'])('accepts the calendar date %s', (date) => {
    expect(isIsoDate(date)).toBe(true);
  });

  it.each([
    ['2026-00-10', 'month 0'],
    ['2026-13-01', 'month 13'],
    ['2026-01-00', 'day 0'],
    ['2026-01-32', 'day 32 of January'],
    ['2026-04-31', '31 April'],
    ['2026-06-31', '31 June'],
    ['2026-09-31', '31 September'],
    ['2026-11-31', '31 November'],
    ['2026-02-30', '30 February'],
  ])('refuses %s (%s)', (date) => {
    expect(isIsoDate(date)).toBe(false);
  });

  it('knows which years have a 29 February', () => {
    expect(isIsoDate('2024-02-29')).toBe(true); // divisible by 4
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2000-02-29')).toBe(true); // divisible by 400
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2100-02-29')).toBe(false); // divisible by 100 but not 400
    expect(isIsoDate('1900-02-29')).toBe(false);
  });

  it.each(['', '2026-4-3', '2026-04-3', '26-04-03', '2026/04/03', '20260403', '2026-04-03T00:00:00Z', ' 2026-04-03', '2026-04-03 ', 'tomorrow', '2026-O4-03'])(
    'refuses text that is not YYYY-MM-DD: %j',
    (text) => {
      expect(isIsoDate(text)).toBe(false);
    },
  );
});

describe('addDays', () => {
  it('moves within a month and back', () => {
    expect(addDays('2026-04-10', 0)).toBe('2026-04-10');
    expect(addDays('2026-04-10', 5)).toBe('2026-04-15');
    expect(addDays('2026-04-10', -9)).toBe('2026-04-01');
  });

  it('crosses month ends, including February in common and leap years', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2026-04-30', 1)).toBe('2026-05-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('crosses year ends in both directions', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-12-20', 27)).toBe('2027-01-16');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-01-01', 365)).toBe('2027-01-01');
    expect(addDays('2024-01-01', 365)).toBe('2024-12-31');
  });

  it('counts whole days across daylight-saving changes', () => {
    // US: 8 March and 1 November 2026; EU: 29 March and 25 October 2026; NZ: 5 April and 27 September 2026.
    expect(addDays('2026-03-07', 1)).toBe('2026-03-08');
    expect(addDays('2026-03-08', 1)).toBe('2026-03-09');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addDays('2026-10-24', 2)).toBe('2026-10-26');
    expect(addDays('2026-10-31', 1)).toBe('2026-11-01');
    expect(addDays('2026-11-01', 1)).toBe('2026-11-02');
    expect(addDays('2026-02-20', 27)).toBe('2026-03-19');
    expect(addDays('2026-10-12', 27)).toBe('2026-11-08');
  });

  it('refuses a date that does not exist', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('not a date', 1)).toThrow(/YYYY-MM-DD/);
  });
});

describe('daysBetween', () => {
  it('is zero for the same date and negative going backwards', () => {
    expect(daysBetween('2026-05-05', '2026-05-05')).toBe(0);
    expect(daysBetween('2026-05-05', '2026-05-06')).toBe(1);
    expect(daysBetween('2026-05-06', '2026-05-05')).toBe(-1);
  });

  it('crosses month and year ends', () => {
    expect(daysBetween('2026-01-31', '2026-02-01')).toBe(1);
    expect(daysBetween('2026-02-01', '2026-03-01')).toBe(28);
    expect(daysBetween('2024-02-01', '2024-03-01')).toBe(29);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2027-01-01', '2026-12-25')).toBe(-7);
  });

  it('counts whole days across daylight-saving changes', () => {
    expect(daysBetween('2026-03-07', '2026-03-09')).toBe(2); // US spring forward
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2); // EU spring forward
    expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2); // EU fall back
    expect(daysBetween('2026-10-31', '2026-11-02')).toBe(2); // US fall back
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
  });

  it('is the inverse of addDays', () => {
    for (const n of [-400, -31, -1, 0, 1, 27, 59, 366, 1000]) {
      expect(daysBetween('2026-03-08', addDays('2026-03-08', n))).toBe(n);
    }
  });

  it('refuses a date that does not exist', () => {
    expect(() => daysBetween('2026-04-31', '2026-05-01')).toThrow(RangeError);
    expect(() => daysBetween('2026-05-01', '2026-5-2')).toThrow(RangeError);
  });
});

describe('date arithmetic does not depend on the server time zone', () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  it.each(['America/New_York', 'Europe/Berlin', 'Pacific/Auckland', 'Asia/Shanghai'])('in %s', (zone) => {
    process.env.TZ = zone;
    expect(addDays('2026-03-07', 1)).toBe('2026-03-08');
    expect(addDays('2026-03-08', 1)).toBe('2026-03-09');
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addDays('2026-04-05', 1)).toBe('2026-04-06');
    expect(addDays('2026-10-25', 1)).toBe('2026-10-26');
    expect(addDays('2026-11-01', 1)).toBe('2026-11-02');
    expect(daysBetween('2026-02-20', '2026-11-20')).toBe(273);
    expect(formatDate('2026-11-26')).toMatch(/^Thu,? 26 Nov 2026$/);
  });
});

describe('localDate', () => {
  const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Pacific/Auckland', 'Pacific/Kiritimati'] as const;

  it('gives each zone its own date for the same instant', () => {
    // 10:30 UTC on 15 January: Kiritimati (UTC+14) is already past midnight, the others are not.
    const instant = new Date('2026-01-15T10:30:00Z');
    expect(Object.fromEntries(zones.map((z) => [z, localDate(instant, z)]))).toEqual({
      'Asia/Shanghai': '2026-01-15', // 18:30
      'America/New_York': '2026-01-15', // 05:30
      'Europe/London': '2026-01-15', // 10:30
      'Pacific/Auckland': '2026-01-15', // 23:30 NZDT
      'Pacific/Kiritimati': '2026-01-16', // 00:30
    });
  });

  it('puts New York a day behind and the Pacific a day ahead late in the UTC evening', () => {
    // 02:00 UTC on 15 January is 21:00 on the 14th in New York.
    const early = new Date('2026-01-15T02:00:00Z');
    expect(zones.map((z) => localDate(early, z))).toEqual(['2026-01-15', '2026-01-14', '2026-01-15', '2026-01-15', '2026-01-15']);
    // 11:30 UTC: Auckland (UTC+13 in January) has just passed midnight too.
    const later = new Date('2026-01-15T11:30:00Z');
    expect(zones.map((z) => localDate(later, z))).toEqual(['2026-01-15', '2026-01-15', '2026-01-15', '2026-01-16', '2026-01-16']);
  });

  it.each([
    // zone, last second of a local day, first second of the next (both as UTC instants), dates shown
    ['Asia/Shanghai', '2026-03-07T15:59:59Z', '2026-03-07T16:00:00Z', '2026-03-07', '2026-03-08'],
    ['America/New_York', '2026-01-15T04:59:59Z', '2026-01-15T05:00:00Z', '2026-01-14', '2026-01-15'], // EST, UTC-5
    ['America/New_York', '2026-07-01T03:59:59Z', '2026-07-01T04:00:00Z', '2026-06-30', '2026-07-01'], // EDT, UTC-4
    ['Europe/London', '2026-01-15T23:59:59Z', '2026-01-16T00:00:00Z', '2026-01-15', '2026-01-16'], // GMT
    ['Europe/London', '2026-07-01T22:59:59Z', '2026-07-01T23:00:00Z', '2026-07-01', '2026-07-02'], // BST, UTC+1
    ['Pacific/Auckland', '2026-01-15T10:59:59Z', '2026-01-15T11:00:00Z', '2026-01-15', '2026-01-16'], // NZDT, UTC+13
    ['Pacific/Auckland', '2026-07-01T11:59:59Z', '2026-07-01T12:00:00Z', '2026-07-01', '2026-07-02'], // NZST, UTC+12
    ['Pacific/Kiritimati', '2026-01-15T09:59:59Z', '2026-01-15T10:00:00Z', '2026-01-15', '2026-01-16'], // UTC+14
  ])('changes date at local midnight in %s (%s → %s)', (zone, before, after, dateBefore, dateAfter) => {
    expect(localDate(new Date(before), zone)).toBe(dateBefore);
    expect(localDate(new Date(after), zone)).toBe(dateAfter);
  });

  it('rolls over the year at local midnight', () => {
    expect(localDate(new Date('2026-12-31T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-12-31');
    expect(localDate(new Date('2026-12-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2027-01-01');
    expect(localDate(new Date('2026-12-31T09:59:59Z'), 'Pacific/Kiritimati')).toBe('2026-12-31');
    expect(localDate(new Date('2026-12-31T10:00:00Z'), 'Pacific/Kiritimati')).toBe('2027-01-01');
    expect(localDate(new Date('2027-01-01T04:59:59Z'), 'America/New_York')).toBe('2026-12-31');
    expect(localDate(new Date('2027-01-01T05:00:00Z'), 'America/New_York')).toBe('2027-01-01');
  });

  it('keeps the date through the daylight-saving change itself', () => {
    // New York springs forward at 02:00 EST (07:00 UTC) on 8 March 2026 and falls back at 02:00 EDT (06:00 UTC) on 1 November.
    expect(localDate(new Date('2026-03-08T06:59:59Z'), 'America/New_York')).toBe('2026-03-08');
    expect(localDate(new Date('2026-03-08T07:00:00Z'), 'America/New_York')).toBe('2026-03-08');
    expect(localDate(new Date('2026-11-01T05:30:00Z'), 'America/New_York')).toBe('2026-11-01'); // 01:30 EDT
    expect(localDate(new Date('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('2026-11-01'); // 01:30 EST, again
    // London: 29 March 01:00 GMT → 02:00 BST; 25 October 02:00 BST → 01:00 GMT.
    expect(localDate(new Date('2026-03-28T23:59:59Z'), 'Europe/London')).toBe('2026-03-28');
    expect(localDate(new Date('2026-03-29T00:00:00Z'), 'Europe/London')).toBe('2026-03-29');
    expect(localDate(new Date('2026-03-29T22:59:59Z'), 'Europe/London')).toBe('2026-03-29');
    expect(localDate(new Date('2026-03-29T23:00:00Z'), 'Europe/London')).toBe('2026-03-30');
  });

  it('does not depend on the server time zone', () => {
    const original = process.env.TZ;
    try {
      process.env.TZ = 'Pacific/Kiritimati';
      expect(localDate(new Date('2026-01-15T04:59:59Z'), 'America/New_York')).toBe('2026-01-14');
      process.env.TZ = 'America/New_York';
      expect(localDate(new Date('2026-01-15T10:00:00Z'), 'Pacific/Kiritimati')).toBe('2026-01-16');
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  });

  it('always returns a valid YYYY-MM-DD date', () => {
    for (let hour = 0; hour < 48; hour++) {
      const instant = new Date(Date.UTC(2026, 11, 31, hour, 30));
      for (const zone of zones) expect(isIsoDate(localDate(instant, zone))).toBe(true);
    }
  });
});
