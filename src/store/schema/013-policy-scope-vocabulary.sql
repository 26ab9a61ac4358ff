-- Policy scopes and the 2026 regime vocabulary (issue 16; src/policy/DESIGN.md, "Vocabulary", "Scope").
--
-- 1. The custody a detainer was lodged with chooses the scope whose rule decides its policy:
--    county_jails (a local jail, also the default when the facility type is unknown), state_prisons,
--    or federal (BOP, USMS, ICE facilities: regime 'federal', no state or local rule decides).
--    policy_periods gains that scope; policy_facility_scopes records, per release, how each facility
--    (name, and ICE's Detainer_Facility_Type where the release has it) was given its scope.
-- 2. Stored regimes are mapped forward to the new vocabulary. The map is by value, refined by the
--    deciding entry where the old value covered two regimes ('mandatory' was both a per-detainer duty
--    and a ban on local limits; 'no' was both no holds and offence-based holds). The next run of the
--    pipeline (assign-policies) recomputes every period from reference/policies, which also applies
--    the rules that SQL cannot (undated entries never decide, scopes, injunctions).
ALTER TABLE policy_periods ADD COLUMN facility_scope VARCHAR;   -- county_jails | state_prisons | federal
UPDATE policy_periods SET facility_scope = 'county_jails' WHERE facility_scope IS NULL;

CREATE TABLE policy_facility_scopes (
  release_id     VARCHAR NOT NULL,
  facility_name  VARCHAR,                 -- as in detainer_lifecycle
  facility_type  VARCHAR,                 -- ICE's Detainer_Facility_Type, NULL when the release lacks it
  facility_scope VARCHAR NOT NULL,        -- county_jails | state_prisons | federal
  scope_basis    VARCHAR NOT NULL,        -- facility_type_column | facility_name | default
  detainers      BIGINT NOT NULL          -- detainer rows with this facility name and type
);

CREATE MACRO handoff_regime_2026(old_regime, entry) AS CASE
  WHEN old_regime = 'mandatory' AND entry IN (
    'ar-2020-ark-code-ann', 'tn-2019-tenn-pub-ch', 'mt-2021-mont-code-ann', 'wv-2023-va-code-15') THEN 'no_local_limits'
  WHEN old_regime = 'mandatory' AND entry = 'tx-travis-county-2017-tex-sb-2017' THEN 'holds_allowed'
  WHEN old_regime = 'mandatory' THEN 'hold_required'
  WHEN old_regime = 'no' AND entry IN (
    'ca-2014-cal-gov-code', 'ca-santa-clara-county-2011-santa-clara-county', 'fl-miami-dade-county-2013-miami-dade-county',
    'tx-travis-county-2017-travis-county-sheriff', 'la-orleans-parish-2013-opso-federal-consent') THEN 'holds_conditional'
  WHEN old_regime = 'no' THEN 'no_holds'
  WHEN old_regime = 'yes' THEN 'holds_allowed'
  WHEN old_regime = 'unclear' AND entry IN (
    'al-2011-ala-hb-56', 'az-2010-2010-ariz-sess', 'in-2011-ic-18-sea', 'ms-2017-miss-sb-2710', 'wy-2025-25-101-25') THEN 'no_local_limits'
  WHEN old_regime = 'unclear' AND entry IN ('ct-2013-conn-public-act', 'ri-2014-governor-executive-agency') THEN 'holds_conditional'
  ELSE old_regime
END;

UPDATE policy_periods SET regime = handoff_regime_2026(regime, entry_id);
UPDATE detainer_lifecycle SET
  policy_regime_at_prepare = handoff_regime_2026(policy_regime_at_prepare, policy_entry_at_prepare),
  policy_regime_at_lift = handoff_regime_2026(policy_regime_at_lift, policy_entry_at_lift)
WHERE policy_regime_at_prepare IN ('yes', 'no', 'mandatory', 'unclear')
   OR policy_regime_at_lift IN ('yes', 'no', 'mandatory', 'unclear');

DROP MACRO handoff_regime_2026;
