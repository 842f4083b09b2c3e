namespace ClipLab.Reporting.Tests;

public class RunFolderTests
{
    private static readonly DateTimeOffset StartTime = new(2026, 12, 4, 19, 58, 1, TimeSpan.FromHours(1));

    [Fact]
    public void RunFolder_Create_UsesTimeAndCommand()
    {
        using var temp = new TempDirectory();

        RunFolder run = RunFolder.Create(temp.FullPath, "compare", StartTime);

        Assert.Equal("2026-12-04_19-58-01_compare", run.Name);
        Assert.Equal(temp.Combine("2026-12-04_19-58-01_compare"), run.FullPath);
        Assert.True(Directory.Exists(run.FullPath));
    }

    [Fact]
    public void RunFolder_ExistingName_CreatesNewFolder()
    {
        using var temp = new TempDirectory();
        string existing = temp.Combine("2026-12-04_19-58-01_compare");
        Directory.CreateDirectory(existing);
        File.WriteAllText(Path.Combine(existing, "report.md"), "earlier run");

        RunFolder run = RunFolder.Create(temp.FullPath, "compare", StartTime);

        Assert.Equal("2026-12-04_19-58-01_compare-2", run.Name);
        Assert.Equal("earlier run", File.ReadAllText(Path.Combine(existing, "report.md")));
        Assert.Single(Directory.GetFileSystemEntries(existing));
    }

    [Fact]
    public void RunFolder_EmptyFolderOrFile_IsSkipped()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("2026-12-04_19-58-01_compare"));
        File.WriteAllText(temp.Combine("2026-12-04_19-58-01_compare-2"), "a file with the candidate name");

        RunFolder run = RunFolder.Create(temp.FullPath, "compare", StartTime);

        Assert.Equal("2026-12-04_19-58-01_compare-3", run.Name);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Combine("2026-12-04_19-58-01_compare")));
    }

    [Fact]
    public void RunFolder_SameStartTime_AddsSuffixes()
    {
        using var temp = new TempDirectory();

        string[] names = Enumerable.Range(0, 3).Select(_ => RunFolder.Create(temp.FullPath, "compare", StartTime).Name).ToArray();

        Assert.Equal(["2026-12-04_19-58-01_compare", "2026-12-04_19-58-01_compare-2", "2026-12-04_19-58-01_compare-3"], names);
    }

    [Fact]
    public void RunFolder_ConcurrentCreates_NeverShareAFolder()
    {
        using var temp = new TempDirectory();
        const int Count = 24;
        var runs = new RunFolder[Count];

        Parallel.For(0, Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            runs[i] = RunFolder.Create(temp.FullPath, "compare", StartTime));

        Assert.Equal(Count, runs.Select(run => run.FullPath).Distinct().Count());
        Assert.Equal(Count, Directory.GetDirectories(temp.FullPath).Length);
        Assert.Empty(temp.FindLeftovers());
    }

    [Fact]
    public void RunFolder_Create_ContainsOnlyMarkerFile()
    {
        using var temp = new TempDirectory();

        RunFolder run = RunFolder.Create(temp.FullPath, "compare", StartTime);

        Assert.Equal([Path.Combine(run.FullPath, RunFolder.MarkerFileName)], Directory.GetFileSystemEntries(run.FullPath));
        Assert.Empty(temp.FindLeftovers());
    }

    [Fact]
    public void RunFolder_MissingOutputFolder_IsCreated()
    {
        using var temp = new TempDirectory();
        string output = temp.Combine("nested", "runs");

        RunFolder run = RunFolder.Create(output, "compare", StartTime);

        Assert.Equal(output, Path.GetDirectoryName(run.FullPath));
    }

    [Fact]
    public void RunFolder_EnsureWritable_LeavesNoProbeFile()
    {
        using var temp = new TempDirectory();
        string output = temp.Combine("runs");

        string fullPath = RunFolder.EnsureWritable(output);

        Assert.Equal(output, fullPath);
        Assert.Empty(Directory.GetFileSystemEntries(output));
    }

    [Fact]
    public void RunFolder_OutputUnderFile_ReportsFile()
    {
        // A path below a regular file fails for root too, unlike permission bits.
        using var temp = new TempDirectory();
        string file = temp.Combine("somefile");
        File.WriteAllText(file, "not a folder");
        string output = Path.Combine(file, "runs");

        var error = Assert.Throws<IOException>(() => RunFolder.EnsureWritable(output));

        Assert.Equal(
            $"Output folder '{output}' is not writable: '{file}' is a file, not a folder. Choose another output folder or make this one writable.",
            error.Message);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void RunFolder_OutputIsFile_ReportsFile()
    {
        using var temp = new TempDirectory();
        string file = temp.Combine("runs");
        File.WriteAllText(file, "not a folder");

        var error = Assert.Throws<IOException>(() => RunFolder.EnsureWritable(file));

        Assert.Contains($"'{file}' is a file, not a folder.", error.Message);
    }

    [Fact]
    public void RunFolder_CreateUnderFile_CreatesNothing()
    {
        using var temp = new TempDirectory();
        string file = temp.Combine("somefile");
        File.WriteAllText(file, "not a folder");

        Assert.Throws<IOException>(() => RunFolder.Create(Path.Combine(file, "runs"), "compare", StartTime));

        Assert.Equal([file], Directory.GetFileSystemEntries(temp.FullPath));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("compare sweep")]
    [InlineData("value:0.001")]
    public void RunFolder_InvalidCommand_Throws(string command)
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<ArgumentException>(() => RunFolder.Create(temp.FullPath, command, StartTime));

        Assert.Equal("command", error.ParamName);
        Assert.Empty(Directory.GetFileSystemEntries(temp.FullPath));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../escape")]
    [InlineData("value:0.001")]
    public void RunFolder_InvalidVariantName_Throws(string variantName)
    {
        using var temp = new TempDirectory();
        RunFolder run = RunFolder.Create(temp.FullPath, "compare", StartTime);

        var error = Assert.Throws<ArgumentException>(() => run.CreateVariantDirectory(variantName));

        Assert.Equal("variantName", error.ParamName);
        Assert.Contains($"'{variantName}'", error.Message);
    }

    [Fact]
    public void RunFolder_CreateVariantDirectory_CreatesSubfolder()
    {
        using var temp = new TempDirectory();
        RunFolder run = RunFolder.Create(temp.FullPath, "compare", StartTime);

        string path = run.CreateVariantDirectory("value-0.001");

        Assert.Equal(Path.Combine(run.FullPath, "value-0.001"), path);
        Assert.True(Directory.Exists(path));
    }
}
