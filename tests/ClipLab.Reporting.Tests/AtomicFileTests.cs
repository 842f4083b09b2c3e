namespace ClipLab.Reporting.Tests;

public class AtomicFileTests
{
    [Fact]
    public void AtomicFile_Write_LeavesNoTempFiles()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("report.md");

        AtomicFile.WriteAllText(path, "# title\n");

        Assert.Equal("# title\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(temp.FullPath));
    }

    [Fact]
    public void AtomicFile_ExistingFile_IsReplaced()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("data.bin");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);

        AtomicFile.WriteAllBytes(path, [9]);

        Assert.Equal([9], File.ReadAllBytes(path));
        Assert.Empty(temp.FindLeftovers());
    }

    [Fact]
    public void AtomicFile_WriterThrows_KeepsOldFile()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("summary.json");
        File.WriteAllText(path, "old");

        var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half a fi"u8);
            throw new InvalidOperationException("simulated failure mid-write");
        }));

        Assert.Equal("simulated failure mid-write", error.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(temp.FullPath));
    }

    [Fact]
    public void AtomicFile_WriteAllText_OmitsByteOrderMark()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("note.txt");

        AtomicFile.WriteAllText(path, "é");

        Assert.Equal([0xC3, 0xA9], File.ReadAllBytes(path));
    }

    [Fact]
    public void AtomicFile_MissingFolder_ThrowsAndLeavesNothing()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("missing", "file.txt");

        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllText(path, "x"));

        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.FullPath));
    }
}
