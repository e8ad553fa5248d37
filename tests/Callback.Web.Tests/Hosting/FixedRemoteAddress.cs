using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Hosting;

/// <summary>
/// The in-memory server has no connection address: every request of a host built with <see cref="From"/> comes from
/// <paramref name="address"/>, as Kestrel would say (before the forwarded-headers middleware).
/// </summary>
public sealed class FixedRemoteAddress(IPAddress address) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress = address;
            return nextMiddleware(context);
        });
        next(app);
    };

    /// <summary>Registers the filter on <paramref name="builder"/>.</summary>
    public static void From(IWebHostBuilder builder, IPAddress address) =>
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new FixedRemoteAddress(address)));
}
