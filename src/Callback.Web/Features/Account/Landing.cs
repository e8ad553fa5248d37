using System.Security.Claims;
using Callback.Domain.Identity;

namespace Callback.Web.Features.Account;

/// <summary>
/// Where each role starts its shift (issue 16.3): the officer at the queue, the dispatcher at the board, the supervisor at
/// supervision, the Admin at the overview. "/" sends a signed-in user there, and so does the sign-in form when it was
/// given no page to go back to: a dispatcher no longer lands on a refusal of the queue.
/// </summary>
public static class Landing
{
    public static string For(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(Roles.Admin) ? "admin"
            : user.IsInRole(Roles.Supervisor) ? "supervision"
            : user.IsInRole(Roles.Dispatcher) ? "dispatch"
            : "queue";
    }
}
