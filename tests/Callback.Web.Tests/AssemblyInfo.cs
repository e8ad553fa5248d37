// Hangfire keeps process-wide state and most tests here boot the app or its job server: one test at a time. (This line
// lived in Harness.cs, which moved to Callback.Testing so that every test project can use it.)
[assembly: CollectionBehavior(DisableTestParallelization = true)]
