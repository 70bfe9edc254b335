//! Requests from elsewhere, over HTTP on SQLite and PostgreSQL: a POST whose `Origin` is another
//! site is refused even with the right CSRF token (the sign-in form too); one from this site or
//! without `Origin` (an API client) goes on; a `next` with a tab or other control character
//! returns to `/`, never to another site.

mod common;

use common::{spawn_anonymous, spawn_app, TestUser};
use sikkerby_domain::access::Role;
use sikkerby_testkit::store_test;

store_test!(a_post_from_another_origin_is_refused_even_with_the_token, |db| async move {
    let app = spawn_app(db).await;
    let host = app.base.trim_start_matches("http://").to_owned();
    let post = |origin: Option<String>| {
        let fields = [("csrf_token", app.csrf())];
        let mut request = app.client.post(format!("{}/logout", app.base)).form(&fields);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        request.send()
    };
    for foreign in ["https://evil.example", "null", &format!("http://{host}.evil.example")] {
        let refused = post(Some(foreign.to_owned())).await.unwrap();
        assert_eq!(refused.status().as_u16(), 403, "{foreign}");
    }
    assert_eq!(app.get("/budget").await.status().as_u16(), 200, "still signed in");
    let own = post(Some(format!("http://{host}"))).await.unwrap();
    assert_eq!(own.status().as_u16(), 303, "this site's origin signs out");
});

store_test!(the_sign_in_form_checks_the_origin_and_never_returns_off_site, |db| async move {
    let app = spawn_anonymous(db).await;
    let user = TestUser::of(Role::Analyst);
    app.ensure_user(&user).await;
    let foreign = app
        .client
        .post(format!("{}/login", app.base))
        .header("origin", "https://evil.example")
        .form(&[("username", user.username.as_str()), ("password", &user.password())])
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status().as_u16(), 403);
    let form = app.text("/login?next=%2F%09%2Fevil.example%2Fx", 200).await;
    assert!(form.contains("name=\"next\" value=\"/\""), "the form returns to /: {form}");
    let page = app.client.get(format!("{}/login", app.base)).send().await.unwrap().text().await.unwrap();
    let token =
        page.split("name=\"csrf_token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let fields = [
        ("username", user.username.as_str()),
        ("password", &user.password()),
        ("csrf_token", &token),
        ("next", "/\t/evil.example/x"),
    ];
    let signed_in = app.client.post(format!("{}/login", app.base)).form(&fields).send().await.unwrap();
    assert_eq!(signed_in.status().as_u16(), 303);
    assert_eq!(signed_in.headers()["location"], "/", "not /\\t/evil.example/x");
});
