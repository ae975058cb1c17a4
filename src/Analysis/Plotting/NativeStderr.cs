using System.Runtime.InteropServices;

namespace FourierRepro.Analysis.Plotting;

// Skia's SVG backend prints "Unsupported path effect in addPaint." to the process's stderr, once per dashed line:
// hundreds of them in a report run. Dashes are drawn solid in the SVG; the PNG is unaffected. While an SVG is
// generated, file descriptor 2 points at /dev/null (managed code writes nothing to stderr meanwhile).
public static class NativeStderr
{
    public static T Silenced<T>(Func<T> action)
    {
        if (!OperatingSystem.IsLinux()) return action();
        Console.Error.Flush();
        int saved = -1, devNull = -1;
        try
        {
            fflush(IntPtr.Zero);
            saved = dup(2);
            devNull = open("/dev/null", 1 /* O_WRONLY */);
            if (saved < 0 || devNull < 0) return action();
            dup2(devNull, 2);
            return action();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return action();
        }
        finally
        {
            if (saved >= 0)
            {
                fflush(IntPtr.Zero);
                dup2(saved, 2);
                close(saved);
            }
            if (devNull >= 0) close(devNull);
        }
    }

    [DllImport("libc")] static extern int dup(int fd);
    [DllImport("libc")] static extern int dup2(int oldFd, int newFd);
    [DllImport("libc")] static extern int close(int fd);
    [DllImport("libc")] static extern int fflush(IntPtr stream);
    [DllImport("libc", EntryPoint = "open")] static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags);
}
