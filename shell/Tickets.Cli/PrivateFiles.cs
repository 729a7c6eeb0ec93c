using System.Runtime.InteropServices;

namespace Tickets.Cli;

/// <summary>
/// Who may change a file or directory that holds a secret we will trust: only its owner, who must be the user running
/// the server. A file another user can write (or owns) can be swapped for one whose key they know; a directory another
/// user can write lets them swap the file. .NET tells a file's mode but not its owner, so the owner comes from statx(2).
/// </summary>
internal static class PrivateFiles
{
    /// <summary>Group and other permission bits: any of them makes a secret shared.</summary>
    public const UnixFileMode SharedBits =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>rwx for the owner only.</summary>
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw for the owner only.</summary>
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Why <paramref name="path"/> cannot be trusted to be private to us (owned by another user, or reachable by group
    /// or others), or null when it is. On Windows, and where the owner cannot be read, only what can be checked is.
    /// </summary>
    public static string? WhyNotPrivate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        if (OwnerOf(path) is { } owner && owner != CurrentUser())
        {
            return $"it is owned by user {owner}, not by the user running tickets ({CurrentUser()})";
        }

        var shared = File.GetUnixFileMode(path) & SharedBits;
        return shared == 0 ? null : $"other users have access to it (mode {Octal(File.GetUnixFileMode(path))})";
    }

    /// <summary>The user id owning <paramref name="path"/> (not following a final symbolic link); null when unknown.</summary>
    public static uint? OwnerOf(string path)
    {
        try
        {
            var buffer = new byte[StatxSize];
            return Statx(AtCurrentDirectory, path, AtSymlinkNoFollow, StatxUid, buffer) == 0
                ? BitConverter.ToUInt32(buffer, StatxUidOffset)
                : null;
        }
        catch (Exception error) when (error is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not Linux (statx is Linux's): the mode check still applies.
            return null;
        }
    }

    public static uint CurrentUser() => GetEffectiveUserId();

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    // statx(2): a layout that is the same on every Linux architecture, unlike struct stat.
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxUid = 0x8;
    private const int StatxSize = 256;
    private const int StatxUidOffset = 20;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();
}
