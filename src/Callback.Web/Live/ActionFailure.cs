using Callback.Domain.Cases;
using Callback.Domain.Workflow;
using Callback.Web.Localization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace Callback.Web.Live;

/// <summary>
/// The one explanation of a refused action, for every page and panel that acts: the same exception reads the same
/// everywhere. The severity tells the user what to do next: a warning can be fixed here (read the case again, correct
/// what was typed), an error cannot (the role or the scope does not allow it, or the case is gone).
/// </summary>
public static class ActionFailure
{
    /// <summary>The message and severity for <paramref name="exception"/>, or null when it is a fault, not a refusal.</summary>
    public static (string Message, Severity Severity)? Explain(Exception exception, IStringLocalizer<Text> text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return exception switch
        {
            CaseConflictException => (text["Conflict"], Severity.Warning),
            // The rules' messages are written for users, in their language (DomainText).
            CaseRuleException rule => (rule.Message, Severity.Warning),
            ActionForbiddenException forbidden => (forbidden.Message, Severity.Error),
            // Both carry the case id in their message; the user reads the sentence without it.
            CaseAccessDeniedException => (text["CaseOutOfScope"], Severity.Error),
            CaseNotFoundException => (text["CaseNotFound"], Severity.Error),
            _ => null,
        };
    }
}
