export { analytics, Event } from './analytics.js'
export { blog, Comment, Post, PostTag, Tag, User } from './blog.js'
export { analytics as analyticsRepo, main as mainRepo } from './repos.js'
