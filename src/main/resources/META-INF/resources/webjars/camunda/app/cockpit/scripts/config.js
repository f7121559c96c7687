/*
 * Miniflow's Cockpit configuration. It replaces the webapp's own scripts/config.js (this file comes first on the
 * classpath) and loads Miniflow's history plugin; docs/cockpit.md explains the plugin.
 *
 * Camunda 7.24 shows a "migrate to Camunda 8" banner in Community Edition. The webapp has no setting for it (the
 * header sets isCommunityEdition to true unconditionally), so it stays.
 */
export default {
  customScripts: [
    // app/cockpit/scripts/miniflow-history.js: the History view, the instance history page and their links
    'scripts/miniflow-history'
  ]
};
