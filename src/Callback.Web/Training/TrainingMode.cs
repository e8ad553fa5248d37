namespace Callback.Web.Training;

/// <summary>
/// Whether this process runs the Training profile (<c>ASPNETCORE_ENVIRONMENT=Training</c>): a drill on fictitious data,
/// in a database of its own, under a banner on every page. Decided once, at start-up, from the environment's name.
/// </summary>
public sealed class TrainingMode(bool isOn)
{
    public const string EnvironmentName = "Training";

    public bool IsOn { get; } = isOn;
}
