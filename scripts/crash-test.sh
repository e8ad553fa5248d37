#!/usr/bin/env bash
# The crash test at length (docs/crash-test.md): the app as a real process, killed with SIGKILL at random instants while a
# second writer works, then every invariant checked from the database. `dotnet test Callback.sln` runs the short form.
#   CALLBACK_CRASH_KILLS   how many kills (here 60; 6 in the short form)
#   CALLBACK_CRASH_SEED    draw the kill delays and actions of an earlier run again (each run prints its seed)
set -euo pipefail
cd "$(dirname "$0")/.."
export CALLBACK_CRASH_KILLS="${CALLBACK_CRASH_KILLS:-60}"
dotnet build tests/Callback.Crash.Tests -v q -nologo
# The xunit v3 test project is an executable: run it directly to see each kill as it happens.
exec tests/Callback.Crash.Tests/bin/Debug/net10.0/Callback.Crash.Tests -showliveoutput "$@"
