//! Re-anchoring char ranges from one text version to a corrected one.
