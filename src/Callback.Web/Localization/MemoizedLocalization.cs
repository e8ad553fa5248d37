using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;

namespace Callback.Web.Localization;

/// <summary>
/// The UI's strings, read from the resources once per language and then from memory. Every lookup through
/// <see cref="ResourceManagerStringLocalizer"/> takes the resource manager's lock: a queue redrawing its 50 rows asks for
/// some 300 strings, and 200 officers' queues redrawing each second spent a tenth of the server's time in those lookups,
/// mostly waiting for one another at that lock (docs/performance.md, issue 20.5).
/// </summary>
public static class MemoizedLocalization
{
    /// <summary>ASP.NET Core's localization, with every localizer it makes remembering the strings it found.</summary>
    public static IServiceCollection AddCallbackLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.TryAddSingleton<ResourceManagerStringLocalizerFactory>();
        services.Replace(ServiceDescriptor.Singleton<IStringLocalizerFactory>(sp =>
            new MemoizedStringLocalizerFactory(sp.GetRequiredService<ResourceManagerStringLocalizerFactory>())));
        return services;
    }
}

/// <summary>Hands out one <see cref="MemoizedStringLocalizer"/> per resource, around the localizer it would have made.</summary>
internal sealed class MemoizedStringLocalizerFactory(IStringLocalizerFactory resources) : IStringLocalizerFactory
{
    private readonly ConcurrentDictionary<Type, IStringLocalizer> _byType = new();
    private readonly ConcurrentDictionary<(string BaseName, string Location), IStringLocalizer> _byName = new();

    public IStringLocalizer Create(Type resourceSource) =>
        _byType.GetOrAdd(resourceSource, type => new MemoizedStringLocalizer(resources.Create(type)));

    public IStringLocalizer Create(string baseName, string location) =>
        _byName.GetOrAdd((baseName, location), key => new MemoizedStringLocalizer(resources.Create(key.BaseName, key.Location)));
}

/// <summary>
/// A localizer that remembers, per UI culture, each string the resources hold. A name the resources lack is not
/// remembered (it is answered by the name itself, as before), so a lookup with a made-up name cannot grow the memory.
/// Formatting with arguments happens at each call, in the current culture, as <see cref="ResourceManagerStringLocalizer"/>
/// does it.
/// </summary>
internal sealed class MemoizedStringLocalizer(IStringLocalizer resources) : IStringLocalizer
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, LocalizedString>> _byCulture = new(StringComparer.Ordinal);

    public LocalizedString this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            var found = _byCulture.GetOrAdd(CultureInfo.CurrentUICulture.Name, _ => new(StringComparer.Ordinal));
            if (found.TryGetValue(name, out var text))
            {
                return text;
            }

            text = resources[name];
            if (!text.ResourceNotFound)
            {
                found.TryAdd(name, text);
            }

            return text;
        }
    }

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var format = this[name];
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, format.Value, arguments), format.ResourceNotFound, format.SearchedLocation);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => resources.GetAllStrings(includeParentCultures);
}
