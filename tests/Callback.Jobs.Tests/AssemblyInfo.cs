// Real Hangfire servers keep process-wide state (JobStorage.Current, the serializer settings): tests that start one must
// not overlap, as in Callback.Web.Tests.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
