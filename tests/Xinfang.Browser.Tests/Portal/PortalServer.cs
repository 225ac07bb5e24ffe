namespace Xinfang.Browser.Tests.Portal;

/// <summary>
/// The live server for the portal tests. One class submits more than the default five petitions per address in
/// ten minutes (every browser is 127.0.0.1), so the per-address submission limit is raised for this server only;
/// everything else is the default configuration.
/// </summary>
public sealed class PortalServer : LiveServer
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Portal:SubmitsPerWindow", "50")];
}
