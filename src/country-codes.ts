/**
 * ISO 3166-1 country codes (alpha-2 ⇄ alpha-3, validity) from i18n-iso-countries, through its entry
 * that registers no locale. The package's Node entry registers the country names of all ~80 locales
 * it ships; nothing here needs a name, and those tables were ~0.9 MB of the server's bundle, parsed
 * and kept for the life of the process (heap snapshot under the bench's footprint load).
 */
import countries from 'i18n-iso-countries/index.js';

export default countries;
