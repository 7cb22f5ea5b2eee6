using System.Runtime.InteropServices;

namespace TeaTrace.Api.Common;

/// <summary>
/// Files only the service's user may read: the data folder is 0700 and everything in it 0600 (the database and its
/// WAL, the job store, backups, keys). Also the one durable small-file write the service needs: a new file is
/// written beside the old, flushed to disk, renamed over it, and the folder flushed, so a crash leaves one or the other.
/// </summary>
internal static partial class PrivateFiles
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static int _umaskSet;

    /// <summary>
    /// From now on, files and folders this process creates are its user's alone. SQLite, Hangfire's storage and the
    /// data-protection key ring create their files themselves; the umask is the one setting all of them honour.
    /// </summary>
    public static void RestrictNewFiles()
    {
        if (!OperatingSystem.IsWindows() && Interlocked.Exchange(ref _umaskSet, 1) == 0)
        {
            _ = Umask(0b000_111_111); // 077
        }
    }

    /// <summary>
    /// Creates the folder (0700), or narrows an existing one to 0700. A shared folder with the sticky bit (such as /tmp)
    /// is left as it is: it is meant for everyone, and the files the service keeps there are 0600 on their own.
    /// </summary>
    public static void SecureFolder(string folder)
    {
        RestrictNewFiles();
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, OwnerOnlyFolder);
            return;
        }

        var mode = File.GetUnixFileMode(folder);
        if (!mode.HasFlag(UnixFileMode.StickyBit))
        {
            File.SetUnixFileMode(folder, mode & ~(UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute));
        }
    }

    /// <summary>Narrows files the service owns to 0600 (those made by an older version were 0644); missing ones are skipped.</summary>
    public static void SecureFiles(params IEnumerable<string> paths)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var path in paths.Where(File.Exists))
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }
    }

    /// <summary>A SQLite database and the files SQLite keeps beside it.</summary>
    public static IEnumerable<string> Database(string path) => [path, path + "-wal", path + "-shm", path + "-journal"];

    /// <summary>Writes the text so that after a crash the file holds either the old or the new text, whole, on disk.</summary>
    public static void WriteDurably(string path, string text)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = path + ".new";
        File.Delete(temporary);
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = OwnerOnly;
        }

        using (var file = new FileStream(temporary, create))
        {
            file.Write(System.Text.Encoding.UTF8.GetBytes(text));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        FlushFolder(folder);
    }

    /// <summary>Makes a rename inside the folder durable (fsync on the directory; POSIX only).</summary>
    private static void FlushFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const int ReadOnly = 0; // O_RDONLY: a directory opens read-only, and fsync on it flushes its entries
        var fd = Open(folder, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Could not open {folder} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Could not flush {folder} to disk (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
