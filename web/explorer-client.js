// Starts GraphiQL against this hub's own /graphql endpoint (same origin; no external host is contacted).
(function () {
  var config = JSON.parse(document.getElementById('explorer-config').textContent);
  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  var root = ReactDOM.createRoot(document.getElementById('explorer'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      // Every request needs a key and a purpose; in demo mode these are the demo consumer's.
      defaultHeaders: config.headers,
      defaultQuery:
        '# 一老一小数据交换枢纽 GraphQL explorer\n' +
        '# 渝中区的街道 The streets of Yuzhong district\n' +
        'query YuzhongStreets {\n  region(code: "500103") {\n    code\n    name\n    children {\n      code\n      name\n    }\n  }\n}\n',
    }),
  );
})();
