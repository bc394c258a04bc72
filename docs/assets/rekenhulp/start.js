// Starts the rekenhulp's worker as early as the page allows: an async module
// in <head> (overrides/rekenhulp.html), run as soon as it is fetched, before
// the page has finished parsing and before Material's bundle runs. The
// worker gets build-info from <script type="application/json"
// id="kmo-build-info"> just above it in <head>. rekenhulp.js (the form) uses
// the same engine; on arrival by instant navigation this module does not run
// again (Material does not execute scripts it copies into <head>) and
// rekenhulp.js starts the engine itself.
import { engine } from "./engine.js";

engine();
