using ClipLab.Data;
using ClipLab.Tests.TestSupport;

namespace ClipLab.Tests.Data;

public sealed class DataDirectoryResolverTests
{
    private static readonly string Home = Path.Combine(Path.GetTempPath(), "home-of-test");
    private static readonly string XdgCache = Path.Combine(Path.GetTempPath(), "xdg-cache-of-test");
    private static readonly string FromEnvironment = Path.Combine(Path.GetTempPath(), "mnist-from-environment");
    private static readonly string FromOption = Path.Combine(Path.GetTempPath(), "mnist-from-option");

    [Fact]
    public void Resolve_OptionAndEnvironment_OptionWins()
    {
        var resolver = ResolverWith(("CLIPLAB_DATA", FromEnvironment), ("XDG_CACHE_HOME", XdgCache), ("HOME", Home));

        DataDirectory directory = resolver.Resolve(FromOption);

        Assert.Equal(FromOption, directory.Path);
        Assert.Equal(DataDirectorySource.Option, directory.Source);
        Assert.Equal("--data option", directory.Description);
        Assert.False(directory.IsCache);
    }

    [Fact]
    public void Resolve_EnvironmentWithoutOption_EnvironmentWins()
    {
        var resolver = ResolverWith(("CLIPLAB_DATA", FromEnvironment), ("XDG_CACHE_HOME", XdgCache), ("HOME", Home));

        DataDirectory directory = resolver.Resolve(null);

        Assert.Equal(FromEnvironment, directory.Path);
        Assert.Equal(DataDirectorySource.EnvironmentVariable, directory.Source);
        Assert.Equal("environment variable CLIPLAB_DATA", directory.Description);
    }

    [Fact]
    public void Resolve_NeitherOptionNorEnvironment_UsesXdgCacheHome()
    {
        var resolver = ResolverWith(("XDG_CACHE_HOME", XdgCache), ("HOME", Home));

        DataDirectory directory = resolver.Resolve(null);

        Assert.Equal(Path.Combine(XdgCache, "cliplab", "mnist"), directory.Path);
        Assert.Equal(DataDirectorySource.Cache, directory.Source);
        Assert.Equal("cache directory under $XDG_CACHE_HOME", directory.Description);
        Assert.True(directory.IsCache);
    }

    [Fact]
    public void Resolve_XdgCacheHomeUnset_FallsBackToHomeCache()
    {
        var resolver = ResolverWith(("HOME", Home));

        DataDirectory directory = resolver.Resolve(null);

        Assert.Equal(Path.Combine(Home, ".cache", "cliplab", "mnist"), directory.Path);
        Assert.Equal(DataDirectorySource.Cache, directory.Source);
        Assert.Equal("cache directory under ~/.cache", directory.Description);
    }

    [Fact]
    public void Resolve_RelativeXdgCacheHome_IsIgnored()
    {
        var resolver = ResolverWith(("XDG_CACHE_HOME", "relative/cache"), ("HOME", Home));

        DataDirectory directory = resolver.Resolve(null);

        Assert.Equal(Path.Combine(Home, ".cache", "cliplab", "mnist"), directory.Path);
    }

    [Fact]
    public void Resolve_EmptyEnvironmentVariable_CountsAsUnset()
    {
        var resolver = ResolverWith(("CLIPLAB_DATA", ""), ("XDG_CACHE_HOME", XdgCache));

        DataDirectory directory = resolver.Resolve(null);

        Assert.Equal(DataDirectorySource.Cache, directory.Source);
    }

    [Fact]
    public void Resolve_RelativeOption_BecomesAbsolute()
    {
        var resolver = ResolverWith();

        DataDirectory directory = resolver.Resolve("relative-data");

        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "relative-data"), directory.Path);
    }

    [Fact]
    public void Resolve_BlankOption_Throws()
    {
        var resolver = ResolverWith(("CLIPLAB_DATA", FromEnvironment));

        Assert.Throws<ArgumentException>(() => resolver.Resolve("  "));
    }

    [Fact]
    public void Resolve_FashionSystemFolder_UsesIt()
    {
        using var system = new TemporaryDirectory();
        foreach (MnistFile file in FashionMnistFiles.All)
        {
            File.WriteAllBytes(Path.Combine(system.Path, file.FileName), []);
        }

        var resolver = ResolverWith(("CLIPLAB_DATA", FromEnvironment), ("XDG_CACHE_HOME", XdgCache), ("HOME", Home));

        DataDirectory directory = resolver.Resolve(null, DatasetDefinition.FashionMnist with { SystemDirectory = system.Path });

        Assert.Equal(system.Path, directory.Path);
        Assert.Equal(DataDirectorySource.SystemDirectory, directory.Source);
        Assert.False(directory.IsCache);
    }

    [Fact]
    public void Resolve_FashionIncompleteSystem_UsesCache()
    {
        using var system = new TemporaryDirectory();
        File.WriteAllBytes(Path.Combine(system.Path, FashionMnistFiles.TrainImages.FileName), []);
        var resolver = ResolverWith(("CLIPLAB_DATA", FromEnvironment), ("XDG_CACHE_HOME", XdgCache), ("HOME", Home));

        DataDirectory directory = resolver.Resolve(null, DatasetDefinition.FashionMnist with { SystemDirectory = system.Path });

        Assert.Equal(Path.Combine(XdgCache, "cliplab", "fashion-mnist"), directory.Path);
        Assert.True(directory.IsCache);
    }

    [Fact]
    public void Resolve_FashionWithOption_OptionWins()
    {
        var resolver = ResolverWith(("XDG_CACHE_HOME", XdgCache), ("HOME", Home));

        DataDirectory directory = resolver.Resolve(FromOption, DatasetDefinition.FashionMnist);

        Assert.Equal(FromOption, directory.Path);
        Assert.Equal(DataDirectorySource.Option, directory.Source);
    }

    private static DataDirectoryResolver ResolverWith(params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(variable => variable.Name, variable => variable.Value);
        return new DataDirectoryResolver(name => environment.GetValueOrDefault(name));
    }
}
