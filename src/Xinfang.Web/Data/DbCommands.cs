using System.Data.Common;

namespace Xinfang.Web.Data;

/// <summary>For the few statements EF cannot express (atomic upserts with RETURNING).</summary>
public static class DbCommands
{
    public static void AddParameter(this DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
