namespace Callback.Domain.Workflow;

/// <summary>The actor's role does not allow this action.</summary>
public sealed class ActionForbiddenException(string message) : Exception(message);
