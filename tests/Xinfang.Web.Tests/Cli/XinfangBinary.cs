using System.Diagnostics;
using System.Text;

namespace Xinfang.Web.Tests.Cli;

/// <summary>
/// The real built binary (src/Xinfang.Web/bin/&lt;Configuration&gt;/net10.0/Xinfang.dll, the same configuration as
/// these tests), run as a child process through the dotnet host — as an operator runs it.
/// </summary>
public static class XinfangBinary
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The repository root: the folder above the test assembly that holds Xinfang.slnx.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Xinfang.slnx"))) return dir.FullName;
            throw new InvalidOperationException($"No Xinfang.slnx above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>Debug or Release: the folder name above this test assembly's target-framework folder.</summary>
    public static string Configuration =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string Dll
    {
        get
        {
            var dll = Path.Combine(RepositoryRoot, "src", "Xinfang.Web", "bin", Configuration, "net10.0", "Xinfang.dll");
            if (!File.Exists(dll)) throw new InvalidOperationException($"The binary is not built: {dll}");
            return dll;
        }
    }

    /// <summary>The dotnet host that runs these tests (dotnet test exports its path), else the one on the PATH.</summary>
    static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(DotnetHost)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Only what the command line says: no configuration leaking in from the environment of the test run.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("Xinfang__", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("Database__", StringComparison.OrdinalIgnoreCase)
                     || k is "ASPNETCORE_URLS" or "ASPNETCORE_HTTP_PORTS" or "ASPNETCORE_ENVIRONMENT" or "DOTNET_ENVIRONMENT").ToList())
            psi.Environment.Remove(key);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        return psi;
    }

    /// <summary>Runs one verb to completion (killed after <paramref name="timeout"/>).</summary>
    public static async Task<Run> RunAsync(string workingDirectory, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var argList = args.ToList();
        using var process = new Process { StartInfo = StartInfo(workingDirectory, argList) };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new Xunit.Sdk.XunitException($"xinfang {string.Join(' ', argList)} did not finish within {(timeout ?? DefaultTimeout).TotalSeconds} s.\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}");
        }
        process.WaitForExit(); // drains the asynchronous readers
        return new Run(string.Join(' ', argList), process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    public sealed record Run(string Command, int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>Fails with the process's output unless it exited with <paramref name="code"/>.</summary>
        public Run ExpectExit(int code)
        {
            if (ExitCode != code) throw new Xunit.Sdk.XunitException($"xinfang {Command}: exit {ExitCode}, wanted {code}.\n{this}");
            return this;
        }

        public override string ToString() => $"--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
    }
}

/// <summary>A temporary working folder with a SQLite file inside, removed afterwards.</summary>
public sealed class TempStore : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("xinfang-cli-").FullName;
    public string DatabaseFile => Path.Combine(Folder, "store", "xinfang.db");
    public string ConnectionArgument => $"--ConnectionStrings:Xinfang=Data Source={DatabaseFile}";

    /// <summary>A read-only, unpooled connection for inspecting what the binary wrote.</summary>
    public Microsoft.Data.Sqlite.SqliteConnection Open()
    {
        var conn = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = DatabaseFile, Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly, Pooling = false,
        }.ToString());
        conn.Open();
        return conn;
    }

    public List<T> Query<T>(string sql, Func<System.Data.Common.DbDataReader, T> read)
    {
        using var conn = Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var list = new List<T>();
        while (reader.Read()) list.Add(read(reader));
        return list;
    }

    public long Scalar(string sql) => Query(sql, r => Convert.ToInt64(r.GetValue(0))).Single();

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
