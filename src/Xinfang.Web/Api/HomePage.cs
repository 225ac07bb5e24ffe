namespace Xinfang.Web.Api;

/// <summary>The landing page at "/": the way to the staff workbench, the public portal and the API.</summary>
public static class HomePage
{
    public static void MapHomePage(this IEndpointRouteBuilder app) =>
        app.MapGet("/", () => Results.Content(Html, "text/html; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();

    const string Html = """
        <!doctype html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="icon" href="data:,">
        <title>信访事项管理系统 Xinfang</title>
        <link rel="stylesheet" href="/css/home.css">
        </head>
        <body>
        <h1>信访事项管理系统（Xinfang）</h1>
        <p>依据《信访工作条例》（2022年）实现信访事项登记、转送交办、受理、办理、答复、复查、复核和终结的全流程管理，法定期限按国务院节假日安排（含调休）自动计算。</p>
        <ul>
          <li>工作人员：<a href="/staff">信访工作台</a>（登记、转送交办、受理、办理答复、复查复核、查询、系统管理）</li>
          <li>公众：<a href="/portal">阳光信访</a>（网上信访、查询办理进度、评价、申请复查复核）</li>
          <li>接口文档（OpenAPI）：<a href="/openapi/v1.json">/openapi/v1.json</a></li>
          <li>运行状态：<a href="/healthz">/healthz</a></li>
          <li>登录：<code>POST /api/v1/auth/login</code>，之后以 <code>Authorization: Bearer …</code> 调用 <code>/api/v1/…</code></li>
        </ul>
        </body>
        </html>
        """;
}
