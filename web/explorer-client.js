// Starts GraphiQL against this hub's own /graphql endpoint (same origin; no external host is contacted).
(function () {
  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  var root = ReactDOM.createRoot(document.getElementById('explorer'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      defaultQuery:
        '# 一老一小数据交换枢纽 GraphQL explorer\n' +
        '# 渝中区的街道 The streets of Yuzhong district\n' +
        'query YuzhongStreets {\n  region(code: "500103") {\n    code\n    name\n    children {\n      code\n      name\n    }\n  }\n}\n',
    }),
  );
})();
