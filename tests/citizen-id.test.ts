import { checkCharacter, makeCitizenId, parseCitizenId } from '../domain/citizen-id';

describe('citizen ID (GB 11643-1999, ISO 7064 MOD 11-2)', () => {
  it('computes the check character of the standard example', () => {
    // GB 11643-1999 appendix example: 11010519491231002X
    expect(checkCharacter('11010519491231002')).toBe('X');
    expect(parseCitizenId('11010519491231002X')).toEqual({
      ok: true,
      value: { citizenId: '11010519491231002X', regionCode: '110105', birthDate: '1949-12-31', sex: 'F' },
    });
  });

  it('accepts a lower-case x and normalises it', () => {
    expect(parseCitizenId('11010519491231002x')).toMatchObject({ ok: true, value: { citizenId: '11010519491231002X' } });
  });

  it.each([
    ['LENGTH', '5001031950010112'],
    ['FORMAT', '50010319500101123A'],
    ['BIRTH_DATE', '500103195002301234'],
    ['BIRTH_DATE', '500103188001011234'],
    ['CHECK_DIGIT', '110105194912310021'],
  ])('reports %s for %s', (problem, id) => {
    expect(parseCitizenId(id)).toEqual({ ok: false, problem });
  });

  it('rejects a birth date in the future', () => {
    const id = makeCitizenId('500103', '2030-01-01', 11, 'M');
    expect(parseCitizenId(id, new Date('2026-11-23T00:00:00Z'))).toEqual({ ok: false, problem: 'BIRTH_DATE' });
  });

  it('makes valid IDs whose sequence parity gives the sex', () => {
    for (let sequence = 0; sequence < 1000; sequence += 37) {
      for (const sex of ['M', 'F'] as const) {
        const id = makeCitizenId('500103', '1938-05-17', sequence, sex);
        expect(parseCitizenId(id)).toEqual({
          ok: true,
          value: { citizenId: id, regionCode: '500103', birthDate: '1938-05-17', sex },
        });
      }
    }
  });
});
