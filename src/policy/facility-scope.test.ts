import { describe, expect, it } from 'vitest';
import { facilityScope } from './facility-scope.ts';

describe('facilityScope', () => {
  it("reads ICE's Detainer_Facility_Type first", () => {
    expect(facilityScope('Federal Facility', 'SUFFOLK COUNTY JAIL')).toEqual({ scope: 'federal', basis: 'facility_type_column' });
    expect(facilityScope('State Facility', 'IDAHO STATE PRISON, BOISE')).toEqual({ scope: 'state_prisons', basis: 'facility_type_column' });
    expect(facilityScope('County Facility', null)).toEqual({ scope: 'county_jails', basis: 'facility_type_column' });
  });

  it('knows Bureau of Prisons facilities by unambiguous names, and otherwise assumes a local jail', () => {
    for (const name of ['F.C.I. HERLONG', 'TAFT FED.CORR.INST.', 'ESTILL FED.CORR.INST.', 'U.S. PENITENTIARY ATLANTA', 'FEDERAL DETENTION CENTER MIAMI', 'USP LEE', 'FCI DANBURY']) {
      expect(facilityScope(null, name), name).toEqual({ scope: 'federal', basis: 'facility_name' });
    }
    for (const name of ['1ST CHOICE INNS', 'TRAVIS COUNTY JAIL', 'SUFFOLK COUNTY HOUSE OF CORRECTION', 'FCIS COUNTY ANNEX', null]) {
      expect(facilityScope(null, name), String(name)).toEqual({ scope: 'county_jails', basis: 'default' });
    }
    expect(facilityScope('Other Facility Type', 'MCI CEDAR JUNCTION')).toEqual({ scope: 'county_jails', basis: 'default' });
  });

  it("takes HIFLD's TYPE of the matched record after ICE's column and before name patterns", () => {
    expect(facilityScope(null, 'BOSTON PRE-RELEASE CENTER', 'STATE')).toEqual({ scope: 'state_prisons', basis: 'hifld_type' });
    expect(facilityScope(null, 'SUFFOLK COUNTY HOUSE OF CORRECTION', "SHERIFF'S OFFICE")).toEqual({ scope: 'county_jails', basis: 'hifld_type' });
    expect(facilityScope(null, 'SOME REGIONAL JAIL', 'MULTI')).toEqual({ scope: 'county_jails', basis: 'hifld_type' });
    expect(facilityScope(null, 'FCI DANBURY', 'FEDERAL')).toEqual({ scope: 'federal', basis: 'hifld_type' });
    // ICE's own column wins; an unknown or empty TYPE says nothing.
    expect(facilityScope('County Facility', 'X', 'STATE')).toEqual({ scope: 'county_jails', basis: 'facility_type_column' });
    expect(facilityScope(null, 'FCI DANBURY', '')).toEqual({ scope: 'federal', basis: 'facility_name' });
    expect(facilityScope(null, 'X', 'NOT AVAILABLE')).toEqual({ scope: 'county_jails', basis: 'default' });
  });
});
