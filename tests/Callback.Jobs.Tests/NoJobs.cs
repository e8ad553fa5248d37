using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace Callback.Jobs.Tests;

/// <summary>A job client for pumps that are not running in the test: handing them a job is a failure of the test.</summary>
internal sealed class NoJobs : IBackgroundJobClient
{
    public string Create(Job job, IState state) => throw new InvalidOperationException("the pump must not be running in this test");

    public bool ChangeState(string jobId, IState state, string expectedState) => false;
}
